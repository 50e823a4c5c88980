// Glidepath dashboard: the only script. It follows a live page's stream (server-sent events) and, when the server says
// something changed, fetches the same page again and swaps its <main>. Everything else works without it.
(function () {
  "use strict";
  var main = document.getElementById("main");
  var state = document.getElementById("live-state");
  var src = main && main.getAttribute("data-live");
  if (!src || !window.EventSource) {
    return;
  }

  var busy = false;
  var again = false;

  function say(text) {
    if (state) {
      state.textContent = text;
    }
  }

  // Do not redraw under someone typing in a form: wait until they leave it.
  function editing() {
    var el = document.activeElement;
    return el && main.contains(el) && /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName);
  }

  function refresh() {
    if (busy || editing()) {
      again = true;
      return;
    }

    busy = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) {
        if (!r.ok || r.redirected) {
          throw new Error("status " + r.status);
        }
        return r.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html").getElementById("main");
        if (next) {
          main.replaceChildren.apply(main, Array.prototype.slice.call(next.childNodes));
          main.setAttribute("data-updated", new Date().toISOString());
          say("Updated " + new Date().toLocaleTimeString());
        }
      })
      .catch(function () {
        say("Could not update; reload the page.");
      })
      .finally(function () {
        busy = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  document.addEventListener("focusout", function () {
    if (again) {
      again = false;
      setTimeout(refresh, 0);
    }
  });

  // The stream opens once the page has loaded: a stream opened before would hold the load event (the tab would show
  // the page as still loading, for as long as the stream stays open).
  function follow() {
    var events = new EventSource(src);
    var helloSeen = false;
    events.addEventListener("hello", function () {
      main.setAttribute("data-live-ready", "true");
      say("Live");
      // A stream's first word is always a hello, never a change: after a reconnection, whatever moved while the stream
      // was down would stay hidden until the next change. Fetch the page again.
      if (helloSeen) {
        refresh();
      }
      helloSeen = true;
    });
    events.addEventListener("change", refresh);
    events.addEventListener("signed-out", function () {
      events.close();
      say("Signed out: reload to sign in again.");
    });
    events.addEventListener("busy", function () {
      events.close();
      say("Not live: this sign-in has too many live pages open. Close some, then reload.");
    });
    events.onerror = function () {
      main.removeAttribute("data-live-ready");
      say("Reconnecting…");
    };
  }

  if (document.readyState === "complete") {
    follow();
  } else {
    window.addEventListener("load", follow);
  }
})();
