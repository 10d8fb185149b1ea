// Front end of ChoiceGroup: one question's options and its Check button.
//
// Native inputs in a <fieldset> give a real radio group (arrow keys move
// between options, one Tab stop) or a set of checkboxes, named by the legend.
// data-lm-suppress-shortcuts stops JupyterLab's command-mode shortcuts
// (arrows, A, B, D D ...) from acting on notebook cells while a learner uses
// the keyboard inside the quiz. Lumino tests the focused element itself
// first, so every focusable control carries the attribute, not just a parent.
function keepKeysInQuiz(element) {
  element.setAttribute("data-lm-suppress-shortcuts", "true");
  return element;
}

function uniqueSuffix() {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

function render({ model, el }) {
  keepKeysInQuiz(el);
  // Each widget loads this module afresh, so a counter here would repeat;
  // radios that shared a name would form one group across questions.
  const groupName = `coopcourse-choice-${uniqueSuffix()}`;

  const fieldset = document.createElement("fieldset");
  fieldset.className = "coopcourse-quiz-fieldset";
  const legend = document.createElement("legend");
  legend.className = "coopcourse-visually-hidden";
  legend.textContent = model.get("group_label");
  fieldset.appendChild(legend);

  const inputs = [];
  for (const [key, text] of model.get("options")) {
    const label = document.createElement("label");
    label.className = "coopcourse-quiz-option";
    const input = keepKeysInQuiz(document.createElement("input"));
    input.type = model.get("multiple") ? "checkbox" : "radio";
    input.name = groupName;
    input.value = key;
    input.addEventListener("change", () => {
      model.set("value", inputs.filter((item) => item.checked).map((item) => item.value));
      model.save_changes();
    });
    const span = document.createElement("span");
    span.textContent = text;
    label.append(input, span);
    fieldset.appendChild(label);
    inputs.push(input);
  }

  const button = keepKeysInQuiz(document.createElement("button"));
  button.type = "button";
  button.className = "coopcourse-quiz-check";
  button.textContent = "Check";
  button.addEventListener("click", () => {
    model.set("check_requests", model.get("check_requests") + 1);
    model.save_changes();
  });

  el.append(fieldset, button);

  const showValue = () => {
    const chosen = new Set(model.get("value"));
    for (const input of inputs) input.checked = chosen.has(input.value);
  };
  showValue();
  model.on("change:value", showValue);
  return () => model.off("change:value", showValue);
}

export default { render };
