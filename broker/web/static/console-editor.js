// Live validation for the DPO console's agreement editor (progressive enhancement: without
// this script the form still checks the text on the server when it is sent).
// As the DPO types, the text is posted to the form's check URL a moment after they stop; the
// same `file:line: message` problems as the CLI appear in a GOV.UK error summary. Focus is
// never moved while typing; a polite status line says whether problems were found.
// Line numbers run in a gutter beside the text; each problem's link moves the caret to its
// line (without this script the links go to the line in a numbered listing of the text).
(function () {
  "use strict";
  var form = document.getElementById("editor");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var area = document.getElementById("text");
  var group = document.getElementById("text-group");
  var holder = document.getElementById("problems-summary");
  var message = document.getElementById("text-error");
  var first = document.getElementById("text-error-first");
  var status = document.getElementById("live-status");
  var data = form.dataset;
  var timer = null;
  var asked = 0;
  var numbered = document.getElementById("numbered");
  var gutter = document.createElement("div");
  gutter.className = "console-gutter";
  gutter.setAttribute("aria-hidden", "true");
  var wrap = document.createElement("div");
  wrap.className = "console-editor-wrap";
  area.parentNode.insertBefore(wrap, area);
  wrap.appendChild(gutter);
  wrap.appendChild(area);
  if (numbered) numbered.parentNode.removeChild(numbered);

  var numberedTo = 0;

  function number() {
    var count = area.value.split("\n").length;
    if (numberedTo === count) return;
    numberedTo = count;
    var lines = [];
    for (var i = 1; i <= count; i++) lines.push(i);
    gutter.textContent = lines.join("\n");
  }

  function lineOf(text) {
    var found = /:(\d+):/.exec(text);
    return found ? parseInt(found[1], 10) : 0;
  }

  function goToLine(line) {
    if (!line) return;
    var lines = area.value.split("\n");
    var start = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
    area.focus();
    area.setSelectionRange(start, start + (lines[line - 1] || "").length);
    var height = parseFloat(window.getComputedStyle(area).lineHeight) || 22;
    area.scrollTop = Math.max(0, (line - 3) * height);
    gutter.scrollTop = area.scrollTop;
  }

  function link(text) {
    var item = document.createElement("li");
    var anchor = document.createElement("a");
    var line = lineOf(text);
    anchor.href = line ? "#line-" + line : "#text";
    anchor.className = "console-problem";
    anchor.textContent = text;
    anchor.addEventListener("click", function (event) {
      event.preventDefault();
      goToLine(line);
    });
    item.appendChild(anchor);
    return item;
  }

  function show(problems) {
    holder.textContent = "";
    var bad = problems.length > 0;
    group.classList.toggle("govuk-form-group--error", bad);
    area.classList.toggle("govuk-textarea--error", bad);
    message.hidden = !bad;
    first.textContent = bad ? problems[0] : "";
    if (!bad) {
      status.textContent = data.textOk;
      return;
    }
    var summary = document.createElement("div");
    summary.className = "govuk-error-summary";
    summary.id = "error-summary";
    var title = document.createElement("h2");
    title.className = "govuk-error-summary__title";
    title.textContent = data.textTitle;
    var body = document.createElement("div");
    body.className = "govuk-error-summary__body";
    var list = document.createElement("ul");
    list.className = "govuk-list govuk-error-summary__list";
    list.id = "problems";
    problems.forEach(function (text) { list.appendChild(link(text)); });
    body.appendChild(list);
    summary.appendChild(title);
    summary.appendChild(body);
    holder.appendChild(summary);
    status.textContent = data.textTitle + ": " + problems.length;
  }

  function check() {
    var mine = ++asked;
    status.textContent = data.textChecking;
    fetch(data.checkUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRF-Token": data.csrf
      },
      body: new URLSearchParams({ text: area.value }).toString()
    }).then(function (response) {
      if (!response.ok) throw new Error("check failed");
      return response.json();
    }).then(function (answer) {
      if (mine !== asked) return;
      var problems = answer.problems.slice();
      if (answer.unchanged) problems.unshift(data.textUnchanged);
      show(problems);
    }).catch(function () {
      if (mine === asked) status.textContent = "";
    });
  }

  area.addEventListener("scroll", function () { gutter.scrollTop = area.scrollTop; });
  number();
  area.addEventListener("input", function () {
    number();
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 500);
  });
  holder.querySelectorAll("a.console-problem").forEach(function (anchor) {
    anchor.addEventListener("click", function (event) {
      event.preventDefault();
      goToLine(parseInt(anchor.getAttribute("data-line") || "0", 10));
    });
  });
})();
