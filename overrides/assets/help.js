/* "Cần người giúp?" at the end of a guide: the reader chooses a commune once (kept in
   localStorage) and the box shows its help points, taken from that commune's help page, so
   the points are written in one place only. Without JavaScript the box links to the pages. */
(function () {
  "use strict";
  var box = document.querySelector(".help-box");
  if (!box || !window.fetch || !window.DOMParser) { return; }
  var KEY = "binhdan-help-commune";
  var chooser = box.querySelector(".help-box__chooser");
  var select = box.querySelector(".help-box__select");
  var shown = box.querySelector(".help-box__points");
  var index = new URL(box.getAttribute("data-help-index"), location.href);
  var pages = {};

  function load(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.text();
    }).then(function (html) { return new DOMParser().parseFromString(html, "text/html"); });
  }
  function remembered() {
    try { return localStorage.getItem(KEY) || ""; } catch (error) { return ""; }
  }
  function remember(code) {
    try { localStorage.setItem(KEY, code); } catch (error) { /* private mode: not kept */ }
  }
  function say(text) {
    var p = document.createElement("p");
    p.textContent = text;
    shown.replaceChildren(p);
  }
  function show(code) {
    if (!code || !pages[code]) { shown.replaceChildren(); return; }
    say(select.getAttribute("data-loading"));
    load(pages[code]).then(function (page) {
      var groups = page.querySelectorAll(".help-group");
      var nodes = [];
      Array.prototype.forEach.call(groups, function (group) {
        var copy = document.importNode(group, true);
        Array.prototype.forEach.call(copy.querySelectorAll("[id]"), function (node) {
          node.id = "box-" + node.id;
        });
        copy.setAttribute("aria-labelledby", "box-" + copy.getAttribute("aria-labelledby"));
        Array.prototype.forEach.call(copy.querySelectorAll("h2"), function (heading) {
          var h3 = document.createElement("h3");
          h3.id = heading.id;
          h3.textContent = heading.textContent;
          heading.replaceWith(h3);
        });
        Array.prototype.forEach.call(copy.querySelectorAll("h3.help-point__name"), function (h) {
          var h4 = document.createElement("h4");
          h4.className = h.className;
          h4.append.apply(h4, Array.prototype.slice.call(h.childNodes));
          h.replaceWith(h4);
        });
        nodes.push(copy);
      });
      var more = document.createElement("p");
      var link = document.createElement("a");
      link.href = pages[code];
      link.textContent = select.options[select.selectedIndex].textContent;
      more.append(link);
      nodes.push(more);
      shown.replaceChildren.apply(shown, nodes);
    }).catch(function () { say(select.getAttribute("data-failed")); });
  }

  load(index.href).then(function (page) {
    var none = document.createElement("option");
    none.value = "";
    none.textContent = select.getAttribute("data-none");
    select.append(none);
    Array.prototype.forEach.call(page.querySelectorAll("[data-help-commune]"), function (link) {
      var code = link.getAttribute("data-help-commune");
      pages[code] = new URL(link.getAttribute("href"), index).href;
      var option = document.createElement("option");
      option.value = code;
      option.textContent = link.textContent;
      select.append(option);
    });
    var chosen = remembered();
    if (pages[chosen]) { select.value = chosen; }
    chooser.hidden = false;
    show(select.value);
    select.addEventListener("change", function () {
      remember(select.value);
      show(select.value);
    });
  }).catch(function () { /* offline and never opened: the links stay */ });
})();
