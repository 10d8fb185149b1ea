// Front end of ChoiceGroup: one question's options, Check button and feedback.
//
// Native inputs in a <fieldset> give a real radio group (arrow keys move
// between options, one Tab stop) or a set of checkboxes, named by the legend.
// data-lm-suppress-shortcuts stops JupyterLab's command-mode shortcuts
// (arrows, A, B, D D ...) from acting on notebook cells while a learner uses
// the keyboard inside the quiz. Lumino tests the focused element itself
// first, so every focusable control carries the attribute, not just a parent.
//
// Check is answered here, from the verdicts Python worked out for every
// possible choice, so feedback shows at once even while the kernel is still
// running later cells; the kernel then records the attempt and sends the same
// verdict with the lesson's score line.
function keepKeysInQuiz(element) {
  element.setAttribute("data-lm-suppress-shortcuts", "true");
  return element;
}

function uniqueSuffix() {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

// The feedback area: two polite live regions, on the page from the start, since
// screen readers announce changes to a region already there, not a new one. A
// status region is read whole when it changes, so the verdict and the score line
// (which the kernel sends later) have one each: neither is read twice.
function liveRegion(tag, className) {
  const region = document.createElement(tag);
  region.className = className;
  region.setAttribute("role", "status");
  region.setAttribute("aria-live", "polite");
  return region;
}

function feedbackArea() {
  const area = document.createElement("div");
  area.className = "coopcourse-quiz-feedback";
  const verdict = liveRegion("div", "coopcourse-feedback");
  const scoreLine = liveRegion("p", "coopcourse-quiz-score-line");
  area.append(verdict, scoreLine);
  return { area, verdict, scoreLine };
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

  const feedback = feedbackArea();
  let shownHtml = "";
  // The number of the last press of Check in this view: the kernel's reply to
  // an earlier press must not replace the page's verdict on a later one.
  let lastPress = 0;
  const showVerdict = (verdict, announceAgain) => {
    feedback.verdict.className = `coopcourse-feedback coopcourse-feedback-${verdict.status}`;
    if (verdict.html === shownHtml && !announceAgain) return; // a kernel echo: read once
    shownHtml = verdict.html;
    // New nodes each time, so the same verdict given again is announced again.
    feedback.verdict.innerHTML = verdict.html;
  };
  const showScore = (text) => {
    if (feedback.scoreLine.textContent !== text) feedback.scoreLine.textContent = text;
  };

  const check = () => {
    const choice = inputs.filter((item) => item.checked).map((item) => item.value).sort();
    lastPress = model.get("check_requests") + 1;
    showVerdict(model.get("verdicts")[choice.join(",")], true);
    showScore(""); // until the kernel has recorded this attempt
    model.set("check_requests", lastPress);
    model.save_changes();
  };

  const button = keepKeysInQuiz(document.createElement("button"));
  button.type = "button";
  button.className = "coopcourse-quiz-check";
  button.textContent = "Check";
  button.addEventListener("click", check);
  // Enter in an option checks too, as in a form (and as on the course website).
  for (const input of inputs) {
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        check();
      }
    });
  }

  el.append(fieldset, button, feedback.area);

  const showValue = () => {
    const chosen = new Set(model.get("value"));
    for (const input of inputs) input.checked = chosen.has(input.value);
  };
  const showKernelVerdict = () => {
    const verdict = model.get("verdict");
    if (!verdict.html || verdict.request < lastPress) return;
    showVerdict(verdict, false);
    showScore(verdict.score);
  };
  showValue();
  showKernelVerdict();
  model.on("change:value", showValue);
  model.on("change:verdict", showKernelVerdict);
  return () => {
    model.off("change:value", showValue);
    model.off("change:verdict", showKernelVerdict);
  };
}

export default { render };
