// Front end of LabelledSlider: a native <input type="range"> with its <label>.
//
// A native range input has the slider role, takes its accessible name from
// the label and its spoken value from aria-valuetext (e.g. "10%", not 0.1).
// data-lm-suppress-shortcuts keeps the arrow keys on the slider instead of
// letting JupyterLab move between notebook cells.
function formatValue(value, spec) {
  const match = /^\.(\d+)([f%])$/.exec(spec);
  if (!match) return String(value);
  const digits = Number(match[1]);
  return match[2] === "%" ? `${(value * 100).toFixed(digits)}%` : value.toFixed(digits);
}

function render({ model, el }) {
  // The input sits inside its <label>, which names it without needing an id
  // (each widget loads this module afresh, so generated ids could repeat).
  const label = document.createElement("label");
  label.className = "coopcourse-range-field";
  const caption = document.createElement("span");
  caption.className = "coopcourse-range-label";
  caption.textContent = model.get("description");

  const input = document.createElement("input");
  input.type = "range";
  input.className = "coopcourse-range-input";
  input.setAttribute("data-lm-suppress-shortcuts", "true");
  for (const name of ["min", "max", "step"]) input[name] = String(model.get(name));

  const readout = document.createElement("output");
  readout.className = "coopcourse-range-readout";

  const show = (value) => {
    const text = formatValue(value, model.get("readout_format"));
    readout.textContent = text;
    input.setAttribute("aria-valuetext", text);
  };
  const showModelValue = () => {
    input.value = String(model.get("value"));
    show(model.get("value"));
  };
  // Show the value while it moves; tell the kernel once the learner lets go
  // (or on each key press), so the figure is redrawn once per change.
  input.addEventListener("input", () => show(Number(input.value)));
  input.addEventListener("change", () => {
    model.set("value", Number(input.value));
    model.save_changes();
  });

  el.classList.add("coopcourse-range");
  label.append(caption, input);
  el.append(label, readout);
  showModelValue();
  model.on("change:value", showModelValue);
  return () => model.off("change:value", showModelValue);
}

export default { render };
