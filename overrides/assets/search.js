/* Search page. Reads the static index written by binhdan/outputs/search.py: a query downloads the
   index shards of its words and the few result entries it shows, never the whole index.
   Text is folded exactly as the build folds it: no tones, no vowel marks, đ -> d. */
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) { return; }
  var input = form.querySelector("input");
  var status = document.querySelector(".search__status");
  var list = document.querySelector(".search__results");
  var messages = JSON.parse(form.getAttribute("data-messages"));
  var base = new URL(form.getAttribute("data-index"), location.href).href;
  var root = new URL(document.documentElement.getAttribute("data-root"), location.href).href;
  var cache = {};
  var ranked = [];
  var shown = 0;
  var manifest = null;
  var PAGE = 10;
  var PREFIX = 1 / 8;  // a prefix match's share of a whole word's strength (7 / 8 < 1)

  function get(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) {
        if (!r.ok) { throw new Error(r.status); }
        return r.json();
      });
    }
    return cache[path];
  }

  function fold(text) {
    return text.toLowerCase().replace(/đ/g, "d").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function words(text) {
    return (fold(text).match(/[a-z0-9]+/g) || []).filter(function (w) {
      return w.length > 1 || /\d/.test(w);
    });
  }

  // The shard holding `term`: the first prefix of it that is a shard of its own.
  function shardOf(term, shards) {
    for (var length = 1; length <= term.length; length++) {
      var prefix = term.slice(0, length);
      if (length === term.length && shards.has(prefix + "$")) { return prefix + "$"; }
      if (shards.has(prefix)) { return prefix; }
    }
    return null;
  }

  function decode(encoded) {  // [[document number, strength 1-7], ...]
    var bytes = atob(encoded);
    var out = [];
    var number = 0;
    var value = 0;
    var shift = 0;
    for (var i = 0; i < bytes.length; i++) {
      var b = bytes.charCodeAt(i);
      value += (b & 0x7f) * Math.pow(2, shift);
      if (b & 0x80) { shift += 7; continue; }
      number += Math.floor(value / 8);
      out.push([number, value % 8]);
      value = 0;
      shift = 0;
    }
    return out;
  }

  // Scores of documents for one word: the strength the build gave it on each page (title,
  // summary, steps, body). The last word of a query also matches as a prefix ("vne" finds
  // "vneid") when it is at least three letters long, but a prefix counts less than any
  // whole word: "cong dan" finds "công dân" before "công" and "đăng".
  function scores(term, isLast, shards) {
    var keys = [shardOf(term, shards)];
    if (isLast && term.length >= 3) {
      shards.forEach(function (key) {
        if (key.indexOf(term) === 0 && keys.indexOf(key) < 0 && keys.length < 5) { keys.push(key); }
      });
    }
    keys = keys.filter(Boolean);
    return Promise.all(keys.map(function (key) { return get("t/" + key + ".json"); })).then(function (found) {
      var result = new Map();
      found.forEach(function (shard) {
        Object.keys(shard).forEach(function (candidate) {
          var part = candidate === term ? 1 : isLast && term.length >= 3 &&
            candidate.indexOf(term) === 0 ? PREFIX : 0;
          if (part) {
            decode(shard[candidate]).forEach(function (hit) {
              result.set(hit[0], Math.max(result.get(hit[0]) || 0, hit[1] * part));
            });
          }
        });
      });
      return result;
    });
  }

  // A phrase of data/abbreviations.yml becomes the one word of its group, so "can cuoc cong
  // dan" finds pages with that phrase, "CCCD" or "thẻ căn cước" (the build gave them "cccd"),
  // not pages where "cuộc", "công" and "dẫn" are scattered. Longest phrase first.
  function phrasesToWords(terms, phrases) {
    var out = [];
    for (var i = 0; i < terms.length; i++) {
      var end = terms.length;
      while (end > i + 1 && !phrases.has(terms.slice(i, end).join(" "))) { end--; }
      out.push(end > i + 1 ? phrases.get(terms.slice(i, end).join(" ")) : terms[i]);
      i = end - 1;
    }
    return out;
  }

  function rank(query) {
    var terms = words(query);
    if (!terms.length) { return Promise.resolve([]); }
    var weights = null;
    return (manifest || (manifest = get("manifest.json"))).then(function (m) {
      var shards = new Set(m.shards);
      weights = m.weights;
      terms = phrasesToWords(terms, new Map(Object.entries(m.phrases)));
      return Promise.all(terms.map(function (t, i) { return scores(t, i === terms.length - 1, shards); }));
    }).then(function (perTerm) {
      var total = new Map();
      var count = new Map();
      perTerm.forEach(function (s) {
        s.forEach(function (score, doc) {
          total.set(doc, (total.get(doc) || 0) + score);
          count.set(doc, (count.get(doc) || 0) + 1);
        });
      });
      var all = Array.from(total.keys()).filter(function (d) { return count.get(d) === terms.length; });
      if (!all.length) { all = Array.from(total.keys()); }  // no page has every word: any word
      // Guides first for the same match: the manifest weighs ranges of document numbers.
      all.forEach(function (doc) {
        var range = weights.find(function (r) { return doc < r[0]; });
        total.set(doc, total.get(doc) * (range ? range[1] : 1));
      });
      return all.sort(function (a, b) { return total.get(b) - total.get(a) || a - b; });
    });
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  function render() {
    var batch = ranked.slice(shown, shown + PAGE);
    return manifest.then(function (m) {
      return Promise.all(batch.map(function (doc) {
        return get("d/" + Math.floor(doc / m.per_shard) + ".json").then(function (shard) {
          return shard[doc % m.per_shard];
        });
      }));
    }).then(function (entries) {
      entries.forEach(function (entry) {
        var item = document.createElement("li");
        var heading = document.createElement("h2");
        var link = document.createElement("a");
        link.href = new URL(entry[0], root).href;
        link.textContent = entry[1];
        heading.appendChild(link);
        item.appendChild(heading);
        var kind = document.createElement("p");
        kind.className = "portal-card__meta";
        kind.textContent = entry[2];
        item.appendChild(kind);
        var summary = document.createElement("p");
        summary.textContent = entry[3];
        item.appendChild(summary);
        list.appendChild(item);
      });
      shown += batch.length;
      var more = document.querySelector(".search__more");
      if (more) { more.remove(); }
      if (shown < ranked.length) {
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
    rank(query).then(function (found) {
      ranked = found;
      var n = found.length;
      status.textContent = fill(n === 0 ? messages.results_none : n === 1 ?
        messages.results_one : messages.results_many, { count: n, query: query });
      return n ? render() : null;
    }).catch(function () { status.textContent = messages.failed; });
  }

  // The language links lead to the other languages' search pages: they carry the query.
  function carry(query) {
    Array.prototype.forEach.call(document.querySelectorAll(".languages a[href]"), function (link) {
      var target = new URL(link.href);
      target.search = query ? "?q=" + encodeURIComponent(query) : "";
      link.href = target.href;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    carry(input.value);
    run(input.value);
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    carry(initial);
    run(initial);
  }
})();
