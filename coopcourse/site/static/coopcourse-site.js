// Quizzes on the course website: no kernel, no network.
//
// Each quiz carries, as JSON written by Python when the site was built, the
// feedback for every possible choice (coopcourse/site/quiz_html.py). Check
// looks the learner's choice up, shows that feedback in the quiz's live
// region and records the attempt in this browser's localStorage, one entry
// per lesson, so the score survives a reload.
(function () {
  "use strict";

  var PREFIX = "coopcourse-quiz:";

  function load(lesson) {
    try {
      var data = JSON.parse(window.localStorage.getItem(PREFIX + lesson) || "{}");
      return {
        correct: Array.isArray(data.correct) ? data.correct : [],
        attempts: typeof data.attempts === "number" ? data.attempts : 0,
      };
    } catch (error) {
      return { correct: [], attempts: 0 };
    }
  }

  function save(lesson, progress) {
    try {
      window.localStorage.setItem(PREFIX + lesson, JSON.stringify(progress));
    } catch (error) {
      // Storage may be full or blocked (private browsing): the quiz still works.
    }
  }

  function fill(template, correct) {
    return template.replace("{correct}", String(correct));
  }

  function showScores() {
    document.querySelectorAll(".coopcourse-site-score").forEach(function (line) {
      var progress = load(line.dataset.lesson);
      line.textContent = fill(line.dataset.template, progress.correct.length);
    });
    document.querySelectorAll(".coopcourse-site-progress tr[data-lesson]").forEach(function (row) {
      var progress = load(row.dataset.lesson);
      row.querySelector(".coopcourse-progress-correct").textContent =
        progress.correct.length + " of " + row.dataset.total;
      row.querySelector(".coopcourse-progress-attempts").textContent = String(progress.attempts);
    });
  }

  function setUp(quiz) {
    var data = JSON.parse(quiz.querySelector("script.coopcourse-quiz-data").textContent);
    var inputs = Array.prototype.slice.call(quiz.querySelectorAll("input"));
    var region = quiz.querySelector(".coopcourse-quiz-feedback");
    var button = quiz.querySelector(".coopcourse-quiz-check");

    function check() {
      var chosen = inputs.filter(function (input) { return input.checked; })
        .map(function (input) { return input.value; }).sort();
      var entry = data.feedback[chosen.join(",")];
      var markup = entry.html;
      if (chosen.length) {
        var progress = load(data.lesson);
        progress.attempts += 1;
        if (entry.correct && progress.correct.indexOf(data.question) < 0) {
          progress.correct.push(data.question);
        }
        save(data.lesson, progress);
        var line = document.createElement("p");
        line.className = "coopcourse-quiz-score-line";
        line.textContent = fill(data.score, progress.correct.length);
        markup += line.outerHTML;
        showScores();
      }
      region.innerHTML = markup;
    }

    button.addEventListener("click", check);
    // Enter in an option checks too, as in a form.
    inputs.forEach(function (input) {
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          check();
        }
      });
    });
  }

  // A box that scrolls sideways (a wide formula, table or code on a phone) must be
  // reachable by keyboard, so it can be scrolled with the arrow keys.
  function focusableScrollers() {
    var boxes = document.querySelectorAll(
      ".coopcourse-math-block, .bd-article pre, .bd-article table, .cell_output .output"
    );
    boxes.forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
      }
    });
  }

  function start() {
    document.querySelectorAll(".coopcourse-site-quiz").forEach(setUp);
    showScores();
    focusableScrollers();
    window.addEventListener("resize", focusableScrollers);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
