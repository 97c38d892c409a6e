// The rule form's details follow the ticked events (progressive enhancement: without this
// script the form shows the details of the events ticked when it was sent, and "Continue"
// shows a newly ticked event's details).
// Each detail, and its "how it is changed" choice, names the events that carry it; while none
// of those is ticked it is hidden and unticked (so it is not sent), and it comes back, not
// ticked, when one of them is ticked again. A polite status line says how many are offered.
(function () {
  "use strict";
  var form = document.getElementById("rule-form");
  if (!form) return;
  var events = form.querySelectorAll("input[name=events]");
  var details = form.querySelectorAll(".console-detail[data-events]");
  var list = document.getElementById("details-list");
  var status = document.createElement("p");
  status.className = "govuk-visually-hidden";
  status.setAttribute("role", "status");
  status.id = "details-status";
  list.parentNode.appendChild(status);

  function ticked() {
    var found = {};
    for (var i = 0; i < events.length; i++) {
      if (events[i].checked) found[events[i].value] = true;
    }
    return found;
  }

  function follow() {
    var now = ticked();
    var offered = 0;
    for (var i = 0; i < details.length; i++) {
      var carried = details[i].getAttribute("data-events").split(" ");
      var show = false;
      for (var j = 0; j < carried.length; j++) {
        if (now[carried[j]]) show = true;
      }
      var box = details[i].querySelector("input[name=fields]");
      if (!show && box) box.checked = false;
      details[i].hidden = !show;
      if (show && box) offered += 1;
    }
    status.textContent = list.getAttribute("data-offered").replace("{count}", offered);
  }

  for (var i = 0; i < events.length; i++) events[i].addEventListener("change", follow);
})();
