/* Reading aids (text size, high contrast, read-aloud) and offline support.
   Everything here is an enhancement: without JavaScript every page still shows its
   content and its menu. The chosen text size and contrast are remembered on the device. */
(function () {
  "use strict";
  var root = document.documentElement;

  function remember(key, value) {
    try {
      if (value) { localStorage.setItem(key, value); } else { localStorage.removeItem(key); }
    } catch (e) { /* private mode: the choice lasts for this page only */ }
  }

  var aids = document.querySelector(".aids");
  if (aids) {
    aids.hidden = false;
    // Normal -> large -> larger -> normal. The button shows the size in use in words, and its
    // mark says what the next press does: "A+" larger, "A−" back to normal.
    var sizes = ["", "1", "2"];
    var sizeButton = aids.querySelector('[data-aid="text-size"]');
    var sizeNames = sizeButton.getAttribute("data-labels").split("|");
    var showSize = function () {
      var level = Math.max(0, sizes.indexOf(root.dataset.text || ""));
      sizeButton.querySelector(".tool__icon").textContent = level === sizes.length - 1 ? "A−" : "A+";
      sizeButton.querySelector(".tool__state").textContent = sizeNames[level];
    };
    showSize();
    sizeButton.addEventListener("click", function () {
      var next = sizes[(sizes.indexOf(root.dataset.text || "") + 1) % sizes.length];
      if (next) { root.dataset.text = next; } else { delete root.dataset.text; }
      remember("bd-text", next);
      showSize();
    });

    var contrastButton = aids.querySelector('[data-aid="contrast"]');
    var showContrast = function () {
      contrastButton.setAttribute("aria-pressed", root.dataset.contrast === "high" ? "true" : "false");
    };
    showContrast();
    contrastButton.addEventListener("click", function () {
      var on = root.dataset.contrast !== "high";
      if (on) { root.dataset.contrast = "high"; } else { delete root.dataset.contrast; }
      remember("bd-contrast", on ? "high" : "");
      showContrast();
    });
  }

  // The phone menu opens over the page: it closes when focus leaves it or on Escape, so it
  // never covers the element that has focus (WCAG 2.4.11).
  var menu = document.querySelector(".menu--compact");
  if (menu) {
    menu.addEventListener("focusout", function (event) {
      // Only when focus went somewhere (a tap in Safari moves no focus: the link must stay).
      if (event.relatedTarget && !menu.contains(event.relatedTarget)) { menu.open = false; }
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  }

  var listen = document.querySelector('[data-aid="listen"]');
  if (listen && "speechSynthesis" in window && "SpeechSynthesisUtterance" in window) {
    var synth = window.speechSynthesis;
    var lang = listen.getAttribute("data-lang");
    var label = listen.querySelector(".listen__label");
    var playLabel = label.textContent;
    var voice = null;
    var findVoice = function () {
      voice = synth.getVoices().filter(function (v) {
        return v.lang.toLowerCase().replace("_", "-").indexOf(lang) === 0;
      })[0] || null;
      listen.parentNode.hidden = !voice;  // no voice for this language: no button
    };
    var setPlaying = function (playing) {
      listen.setAttribute("aria-pressed", playing ? "true" : "false");
      label.textContent = playing ? listen.getAttribute("data-label-stop") : playLabel;
    };
    // What is read: the content once, in reading order. Not the controls (buttons, the
    // breadcrumb, pagers), not what is hidden or only for print, not marks that are already
    // said in words (a step's big number is aria-hidden; "Step 1:" is read), not related items.
    var notRead = "button, nav, audio, video, script, style, template, [aria-hidden='true'], " +
      ".portal-kicker, .portal-related, .portal-item-terms, .portal-subscribe, .listen, .print-action";
    var collect = function (node, parts) {
      if (node.nodeType === Node.TEXT_NODE) { parts.push(node.nodeValue); return; }
      if (node.nodeType !== Node.ELEMENT_NODE || node.matches(notRead)) { return; }
      var display = getComputedStyle(node).display;
      if (display === "none") { return; }
      var block = display.indexOf("inline") !== 0;
      if (block) { parts.push("\n"); }
      Array.prototype.forEach.call(node.childNodes, function (child) { collect(child, parts); });
      if (block) { parts.push("\n"); }
    };
    var pageText = function () {
      var parts = [];
      collect(document.querySelector("main"), parts);
      return parts.join("").replace(/[ \t]+/g, " ");
    };
    findVoice();
    synth.addEventListener("voiceschanged", findVoice);
    listen.addEventListener("click", function () {
      if (synth.speaking) { synth.cancel(); setPlaying(false); return; }
      // Phones stop long utterances midway: read sentence by sentence.
      var sentences = pageText().split(/(?<=[.!?…:])\s+|\n+/).filter(function (s) {
        return s.trim();
      });
      sentences.forEach(function (sentence, index) {
        var utterance = new SpeechSynthesisUtterance(sentence);
        utterance.lang = voice ? voice.lang : lang;
        if (voice) { utterance.voice = voice; }
        if (index === sentences.length - 1) { utterance.onend = function () { setPlaying(false); }; }
        synth.speak(utterance);
      });
      setPlaying(true);
    });
    window.addEventListener("pagehide", function () { synth.cancel(); });
  }

  // Printing: pictures further down are lazy and would print as empty boxes. Load them all
  // first (the button waits for them; Ctrl+P gets as many as arrive in time).
  function loadPictures() {
    var lazy = document.querySelectorAll('img[loading="lazy"]');
    return Promise.all(Array.prototype.map.call(lazy, function (img) {
      img.loading = "eager";
      return img.complete ? null : new Promise(function (done) {
        img.addEventListener("load", done);
        img.addEventListener("error", done);
      });
    }));
  }
  window.addEventListener("beforeprint", loadPictures);
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      loadPictures().then(function () { window.print(); });
    });
  });

  // The offline page lists the pages kept on this phone (sw.js keeps every page visited),
  // newest first, those in the reader's language before the others. Only the start of each
  // kept page is read: its title and language are in the first bytes.
  var saved = document.querySelector("[data-saved-pages]");
  if (saved && "caches" in window) {
    var savedStatus = document.querySelector("[data-saved-status]");
    var readHead = function (response) {
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var text = "";
      var more = function () {
        return reader.read().then(function (chunk) {
          if (!chunk.done) { text += decoder.decode(chunk.value, { stream: true }); }
          if (chunk.done || text.indexOf("</head>") >= 0 || text.length > 65536) {
            reader.cancel();
            return new DOMParser().parseFromString(text, "text/html");
          }
          return more();
        });
      };
      return more();
    };
    var describe = function (cache, request) {
      return cache.match(request).then(function (response) {
        return response && response.body ? readHead(response) : null;
      }).then(function (head) {
        var robots = head && head.querySelector('meta[name="robots"]');
        if (!head || (robots && robots.content.indexOf("noindex") >= 0)) { return null; }
        var title = head.querySelector('meta[property="og:title"]');
        return { url: request.url, lang: head.documentElement.lang,
                 title: title ? title.content : head.title };
      }).catch(function () { return null; });
    };
    savedStatus.textContent = savedStatus.getAttribute("data-reading");
    caches.open(saved.getAttribute("data-saved-pages")).then(function (cache) {
      return cache.keys().then(function (requests) {
        return Promise.all(requests.reverse().map(function (request) {
          return describe(cache, request);
        }));
      });
    }).then(function (pages) {
      pages = pages.filter(function (found) { return found && found.title; });
      pages.sort(function (a, b) { return (b.lang === root.lang) - (a.lang === root.lang); });
      pages.forEach(function (found) {
        var link = document.createElement("a");
        link.href = found.url;
        link.textContent = found.title;
        if (found.lang && found.lang !== root.lang) { link.lang = found.lang; }
        var item = document.createElement("li");
        item.appendChild(link);
        saved.appendChild(item);
      });
      saved.hidden = !pages.length;
      savedStatus.hidden = pages.length > 0;
      savedStatus.textContent = savedStatus.getAttribute("data-none");
    }).catch(function () {
      savedStatus.textContent = savedStatus.getAttribute("data-none");
    });
  }

  if ("serviceWorker" in navigator && location.protocol.indexOf("http") === 0) {
    navigator.serviceWorker.register(root.getAttribute("data-root") + "sw.js").catch(function () {});
  }
})();
