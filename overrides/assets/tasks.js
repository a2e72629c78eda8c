/* Plan tasks: filter by status, lead agency and locality. Without JavaScript every task is listed,
   overdue ones first and marked in words. */
(function () {
  "use strict";
  var form = document.querySelector(".tasks__filter");
  if (!form) { return; }
  var tasks = Array.prototype.slice.call(document.querySelectorAll(".task"));
  var count = document.querySelector(".tasks__count");
  var total = count.textContent;
  form.hidden = false;
  function apply() {
    var status = form.elements.status.value;
    var lead = form.elements.lead.value;
    var locality = form.elements.locality ? form.elements.locality.value : "";
    var shown = 0;
    tasks.forEach(function (task) {
      var visible = (!status || task.getAttribute("data-status").split(" ").indexOf(status) >= 0) &&
        (!lead || task.getAttribute("data-lead") === lead) &&
        (!locality || task.getAttribute("data-locality") === locality);
      task.hidden = !visible;
      if (visible) { shown += 1; }
    });
    count.textContent = shown === tasks.length ? total : shown + " / " + total;
  }
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
})();
