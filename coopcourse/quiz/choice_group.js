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

// The feedback area: one polite live region, on the page from the start, since
// screen readers announce changes to a region already there, not a new one.
function feedbackArea() {
  const area = document.createElement("div");
  area.className = "coopcourse-quiz-feedback";
  const live = document.createElement("div");
  live.className = "coopcourse-feedback";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  const body = document.createElement("div");
  const scoreLine = document.createElement("p");
  scoreLine.className = "coopcourse-quiz-score-line";
  scoreLine.hidden = true;
  live.append(body, scoreLine);
  area.appendChild(live);
  return { area, live, body, scoreLine };
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
  // Rewriting the same text would make a screen reader read it again.
  const showVerdict = (verdict) => {
    if (!verdict || !verdict.html) return;
    feedback.live.className = `coopcourse-feedback coopcourse-feedback-${verdict.status}`;
    if (verdict.html !== shownHtml) {
      feedback.body.innerHTML = verdict.html;
      shownHtml = verdict.html;
    }
  };
  const showScore = (text) => {
    feedback.scoreLine.textContent = text;
    feedback.scoreLine.hidden = !text;
  };

  const button = keepKeysInQuiz(document.createElement("button"));
  button.type = "button";
  button.className = "coopcourse-quiz-check";
  button.textContent = "Check";
  button.addEventListener("click", () => {
    const choice = inputs.filter((item) => item.checked).map((item) => item.value).sort();
    showVerdict(model.get("verdicts")[choice.join(",")]);
    if (!choice.length) showScore("");
    model.set("check_requests", model.get("check_requests") + 1);
    model.save_changes();
  });

  el.append(fieldset, button, feedback.area);

  const showValue = () => {
    const chosen = new Set(model.get("value"));
    for (const input of inputs) input.checked = chosen.has(input.value);
  };
  const showKernelVerdict = () => showVerdict(model.get("verdict"));
  const showKernelScore = () => showScore(model.get("score_line"));
  showValue();
  showKernelVerdict();
  showKernelScore();
  model.on("change:value", showValue);
  model.on("change:verdict", showKernelVerdict);
  model.on("change:score_line", showKernelScore);
  return () => {
    model.off("change:value", showValue);
    model.off("change:verdict", showKernelVerdict);
    model.off("change:score_line", showKernelScore);
  };
}

export default { render };
