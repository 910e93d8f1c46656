// The one script. Every page works without it; it only improves them:
// live place search in the chooser, a live calculator with a slider, and, inside Telegram's Mini App,
// saving the choice to the chat. It loads nothing from other sites and holds no user-facing text
// (texts come from the page's data-* attributes).
(function () {
  "use strict";

  function debounce(fn, ms) {
    var t = null;
    return function () { var args = arguments; clearTimeout(t); t = setTimeout(function () { fn.apply(null, args); }, ms); };
  }

  // ----- chooser: places as you type -----------------------------------------------------------
  var search = document.querySelector("form.search[data-places]");
  var results = document.getElementById("results");
  if (search && results) {
    var input = search.querySelector("input[name=q]");
    var ident = search.querySelector("input[name=i]");
    var latest = 0;
    input.addEventListener("input", debounce(function () {
      var q = input.value.trim();
      var mine = ++latest;
      if (!q) { results.textContent = ""; return; }
      var url = search.dataset.places + "?q=" + encodeURIComponent(q) + (ident ? "&i=" + encodeURIComponent(ident.value) : "");
      fetch(url, { headers: { Accept: "application/json" } }).then(function (r) { return r.json(); }).then(function (data) {
        if (mine !== latest) { return; }
        results.textContent = "";
        if (!data.places.length) {
          var p = document.createElement("p");
          p.textContent = results.dataset.none || "";
          results.appendChild(p);
          return;
        }
        var ul = document.createElement("ul");
        ul.className = "choices";
        data.places.forEach(function (place) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = place.href;
          a.textContent = place.name;
          li.appendChild(a);
          ul.appendChild(li);
        });
        results.appendChild(ul);
      }).catch(function () { /* the form still works: pressing search submits it */ });
    }, 200));
  }

  // ----- calculator: slider and live result ----------------------------------------------------
  var calc = document.querySelector("form.calc[data-fragment]");
  var content = document.getElementById("content");
  if (calc && content) {
    var base = calc.querySelector("input[name=calc]");
    var slider = document.getElementById("slider");
    var update = debounce(function () {
      var value = base.value.trim();
      if (!value) { return; }
      fetch(calc.dataset.fragment + "?calc=" + encodeURIComponent(value)).then(function (r) {
        return r.ok ? r.text() : Promise.reject(r.status);
      }).then(function (html) {
        content.innerHTML = html;  // rendered by our own templates (autoescaped)
        history.replaceState(null, "", calc.action + "?calc=" + encodeURIComponent(value) + location.hash);
      }).catch(function () { /* the form still works: pressing the button submits it */ });
    }, 150);
    if (slider) {
      slider.hidden = false;
      slider.addEventListener("input", function () { base.value = slider.value; update(); });
      base.addEventListener("input", function () { slider.value = base.value; });
    }
    base.addEventListener("input", update);
  }

  // ----- Telegram Mini App ---------------------------------------------------------------------
  if (!document.body.classList.contains("app")) { return; }
  var KEY = "tgWebAppData";
  var initData = "";
  try {
    initData = new URLSearchParams(location.hash.slice(1)).get(KEY) || sessionStorage.getItem(KEY) || "";
    if (initData) { sessionStorage.setItem(KEY, initData); }
  } catch (e) { /* storage refused: only this page knows the data */ }

  // Telegram's colours (tgWebAppThemeParams), so the Mini App looks like the rest of the app.
  try {
    var theme = JSON.parse(new URLSearchParams(location.hash.slice(1)).get("tgWebAppThemeParams") || sessionStorage.getItem("tgTheme") || "null");
    if (theme) {
      sessionStorage.setItem("tgTheme", JSON.stringify(theme));
      var names = { bg_color: "--bg", text_color: "--fg", hint_color: "--muted", link_color: "--accent", secondary_bg_color: "--soft" };
      Object.keys(names).forEach(function (k) {
        if (/^#[0-9a-fA-F]{3,8}$/.test(theme[k] || "")) { document.documentElement.style.setProperty(names[k], theme[k]); }
      });
    }
  } catch (e) { /* keep the page's own colours */ }

  // Telegram's clients listen for these events (as Telegram's own script sends them).
  function postEvent(type, data) {
    var payload = JSON.stringify(data || {});
    try {
      if (window.TelegramWebviewProxy) { window.TelegramWebviewProxy.postEvent(type, payload); }
      else if (window.external && "notify" in window.external) { window.external.notify(JSON.stringify({ eventType: type, eventData: data || {} })); }
      else if (window.parent !== window) { window.parent.postMessage(JSON.stringify({ eventType: type, eventData: data || {} }), "https://web.telegram.org"); }
    } catch (e) { /* not inside Telegram */ }
  }
  postEvent("web_app_ready");
  postEvent("web_app_expand");

  var save = document.getElementById("save");
  if (!save || !initData) { return; }
  save.hidden = false;
  var button = document.getElementById("save-button");
  var status = document.getElementById("save-status");
  button.addEventListener("click", function () {
    button.disabled = true;
    fetch("/app/api/choice", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ initData: initData, payload: save.dataset.payload })
    }).then(function (r) { return r.json(); }).then(function (data) {
      var known = { ok: 1, forged: 1, stale: 1 };
      status.textContent = save.dataset[known[data.status] ? data.status : "failed"] || "";
      save.dataset.result = data.status;
      if (data.status === "ok") { setTimeout(function () { postEvent("web_app_close"); }, 1500); }
      else { button.disabled = false; }
    }).catch(function () {
      status.textContent = save.dataset.failed || "";
      save.dataset.result = "failed";
      button.disabled = false;
    });
  });
})();
