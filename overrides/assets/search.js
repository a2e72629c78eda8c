/* Search page: Pagefind loads only the parts of the index a query needs. Queries work with
   or without Vietnamese accents: tone marks are ignored by Pagefind, and every word with
   "đ" is also indexed with "d" (see main.html). */
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) { return; }
  var input = form.querySelector("input");
  var status = document.querySelector(".search__status");
  var list = document.querySelector(".search__results");
  var messages = JSON.parse(form.getAttribute("data-messages"));
  var base = new URL(document.documentElement.getAttribute("data-root"), location.href).pathname;
  var engine = null;
  var results = [];
  var shown = 0;
  var PAGE = 10;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  function load() {
    if (!engine) {
      // import() resolves against this script, not the page: make the address absolute.
      engine = import(new URL(form.getAttribute("data-bundle"), location.href).href).then(function (pagefind) {
        return pagefind.options({ baseUrl: base, excerptLength: 24 }).then(function () {
          return pagefind;
        });
      });
    }
    return engine;
  }

  function render() {
    var batch = results.slice(shown, shown + PAGE);
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (found) {
      found.forEach(function (data) {
        var item = document.createElement("li");
        var heading = document.createElement("h2");
        var link = document.createElement("a");
        link.href = data.url;
        link.textContent = data.meta.title;
        heading.appendChild(link);
        item.appendChild(heading);
        if (data.meta.kind) {
          var kind = document.createElement("p");
          kind.className = "portal-card__meta";
          kind.textContent = data.meta.kind;
          item.appendChild(kind);
        }
        var excerpt = document.createElement("p");
        excerpt.innerHTML = data.excerpt;  // Pagefind escapes the text and adds <mark>
        item.appendChild(excerpt);
        list.appendChild(item);
      });
      shown += batch.length;
      var more = document.querySelector(".search__more");
      if (more) { more.remove(); }
      if (shown < results.length) {
        more = document.createElement("button");
        more.type = "button";
        more.className = "button search__more";
        more.textContent = messages.more;
        more.addEventListener("click", render);
        list.after(more);
      }
    });
  }

  function run(query) {
    list.innerHTML = "";
    shown = 0;
    var old = document.querySelector(".search__more");
    if (old) { old.remove(); }
    if (!query.trim()) { status.textContent = ""; return; }
    status.textContent = messages.searching;
    load().then(function (pagefind) { return pagefind.search(query); }).then(function (search) {
      results = search.results;
      var count = results.length;
      status.textContent = fill(count === 0 ? messages.results_none : count === 1 ?
        messages.results_one : messages.results_many, { count: count, query: query });
      return render();
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value;
    history.replaceState(null, "", "?q=" + encodeURIComponent(query));
    run(query);
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial);
  }
})();
