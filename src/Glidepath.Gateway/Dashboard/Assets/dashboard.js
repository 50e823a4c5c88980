// Glidepath dashboard: the only script. It follows a live page's stream (server-sent events) and, when the server says
// something changed, fetches the same page again and swaps its content. It says under the title whether the page is
// live, and since when it is not. Everything else works without it.
(function () {
  "use strict";
  var main = document.getElementById("main");
  var body = document.getElementById("main-body");

  // The notice after an action ("Done: freeze…") takes the focus, so it is read out and Tab goes on from there.
  var notice = body && body.querySelector(".notice");
  if (notice) {
    notice.focus({ preventScroll: true });
  }

  var line = document.getElementById("live");
  var state = document.getElementById("live-state");
  var updated = document.getElementById("live-updated");
  var news = document.getElementById("live-news");
  var src = main && main.getAttribute("data-live");
  if (!src || !body || !line || !news || !window.EventSource) {
    return;
  }

  // The server beats at this interval when nothing changed; hearing nothing for about two of them means not live.
  var beat = parseInt(main.getAttribute("data-live-beat"), 10) || 15000;
  var silence = 2 * beat + Math.min(beat, 5000);

  var events = null;
  var watch = null;
  var retry = null;
  var attempts = 0;
  var helloSeen = false;
  var beats = 0;
  var lastHeard = Date.now();
  var busy = false;
  var again = false;

  function utc(ms) {
    return new Date(ms).toISOString().slice(11, 19) + " UTC";
  }

  // One of: connecting, live, down (reconnecting), ended (will not reconnect). The status region changes only with the
  // state, so a screen reader hears when the page stops or starts being live, not every redraw.
  function show(mode, text) {
    line.setAttribute("data-state", mode);
    main.setAttribute("data-live-state", mode);
    if (state.textContent !== text) {
      state.textContent = text;
    }
    if (mode === "live") {
      main.setAttribute("data-live-ready", "true");
    } else {
      main.removeAttribute("data-live-ready");
    }
    markActions();
  }

  // While the page is not live its action buttons say so ("(page not live)", dashboard.css). They still work: the
  // confirmation page reads the state anew, and the action checks the revision it showed.
  function markActions() {
    var mode = main.getAttribute("data-live-state");
    var down = mode === "down" || mode === "ended";
    var buttons = body.querySelectorAll(".actions .button, .actions button");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].classList.toggle("stale", down);
    }
  }

  function heard() {
    lastHeard = Date.now();
    main.setAttribute("data-live-seen", new Date(lastHeard).toISOString());
    clearTimeout(watch);
    watch = setTimeout(function () {
      down();
    }, silence);
  }

  // Do not redraw under someone typing in a form: wait until they leave it.
  function editing() {
    var el = document.activeElement;
    return el && body.contains(el) && /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName);
  }

  // Where an element sits, so that its counterpart in the new content can be found: its nearest ancestor (or itself)
  // with an id or a data-testid, and the child positions from there (a history event's details stay its own when newer
  // events are added above it).
  function place(el) {
    var path = [];
    for (var node = el; node && node !== body; node = node.parentElement) {
      var id = node.getAttribute("id");
      var testid = node.getAttribute("data-testid");
      if (id || testid) {
        return { id: id, testid: testid, path: path, tag: el.tagName, href: el.getAttribute("href") };
      }
      path.unshift(Array.prototype.indexOf.call(node.parentElement.children, node));
    }
    return node === body ? { id: null, testid: null, path: path, tag: el.tagName, href: el.getAttribute("href") } : null;
  }

  function find(p) {
    var node = body;
    if (p.id) {
      node = document.getElementById(p.id);
    } else if (p.testid) {
      node = body.querySelector('[data-testid="' + CSS.escape(p.testid) + '"]');
    }
    for (var i = 0; node && i < p.path.length; i++) {
      node = node.children[p.path[i]];
    }
    return node && body.contains(node) && node.tagName === p.tag && node.getAttribute("href") === p.href ? node : null;
  }

  // What the content says a screen reader should hear when it changes ("Rollout rolled_back.", "The judge now says
  // rollback."): only these, not every redraw (traffic redraws a rollout page about once a second).
  function sayings() {
    return Array.prototype.map.call(body.querySelectorAll("[data-live-say]"), function (el) {
      return el.getAttribute("data-live-say");
    });
  }

  // Replaces the content with the new page's, keeping what the reader was doing: the keyboard focus (a link, a button,
  // a summary: a focus dropped to the page's start would lose their place, and an Enter pressed then would do nothing)
  // and which details were open. Then says what changed, with the time in UTC as every time on the page.
  function swap(next) {
    var active = document.activeElement;
    var focus = active && active !== body && body.contains(active) ? place(active) : null;
    var open = Array.prototype.map.call(body.querySelectorAll("details[open]"), place);
    var before = sayings();
    body.replaceChildren.apply(body, Array.prototype.slice.call(next.childNodes));
    var changed = sayings().filter(function (text) {
      return text && before.indexOf(text) < 0;
    });
    if (changed.length > 0) {
      news.textContent = utc(Date.now()) + ": " + changed.join(" ");
    }
    open.forEach(function (p) {
      var details = p && find(p);
      if (details) {
        details.open = true;
      }
    });
    if (focus) {
      // When the element is gone (a Pause button once the rollout ended), the content's start keeps the focus.
      (find(focus) || main).focus({ preventScroll: true });
    }
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
        var next = new DOMParser().parseFromString(html, "text/html").getElementById("main-body");
        if (next) {
          swap(next);
          main.setAttribute("data-updated", new Date().toISOString());
          updated.textContent = "· updated " + utc(Date.now());
          markActions();
        }
      })
      .catch(function () {
        // The page could not be fetched: what it shows may be old. Reconnect; the hello fetches it again.
        down();
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

  function stop() {
    clearTimeout(watch);
    clearTimeout(retry);
    if (events) {
      events.close();
      events = null;
    }
  }

  function end(text) {
    stop();
    show("ended", text);
  }

  // The stream failed, ended, was refused (an EventSource given a 503 closes for good), or went silent (a hung server,
  // or a proxy that holds the connection): say so at once, and connect again by hand, waiting longer each time.
  function down() {
    // Once ended (signed out, too many pages) it stays so: a redraw that failed meanwhile does not start reconnecting.
    if (main.getAttribute("data-live-state") === "ended") {
      return;
    }
    stop();
    show("down", "Not live since " + utc(lastHeard) + ": this page may be out of date. Reconnecting…");
    var wait = Math.min(30000, 1000 * Math.pow(2, attempts)) * (0.75 + Math.random() / 2);
    attempts++;
    retry = setTimeout(follow, wait);
  }

  // The stream opens once the page has loaded: a stream opened before would hold the load event (the tab would show
  // the page as still loading, for as long as the stream stays open).
  function follow() {
    stop();
    if (!helloSeen) {
      show("connecting", "Connecting…");
    }
    var stream = new EventSource(src);
    events = stream;
    // A connection that never answers counts as silence too.
    clearTimeout(watch);
    watch = setTimeout(down, silence);
    stream.addEventListener("hello", function () {
      heard();
      attempts = 0;
      show("live", "Live");
      // A stream's first word is always a hello, never a change: after a reconnection, whatever moved while the stream
      // was down would stay hidden until the next change. Fetch the page again.
      if (helloSeen) {
        refresh();
      }
      helloSeen = true;
    });
    stream.addEventListener("change", function () {
      heard();
      refresh();
    });
    stream.addEventListener("beat", function () {
      heard();
      beats++;
      main.setAttribute("data-live-beats", String(beats));
    });
    stream.addEventListener("signed-out", function () {
      end("Not live: signed out. Reload to sign in again.");
    });
    stream.addEventListener("busy", function () {
      end("Not live: this sign-in has too many live pages open. Close some, then reload.");
    });
    stream.onerror = function () {
      if (events !== stream) {
        return;
      }
      var refused = stream.readyState === EventSource.CLOSED;
      down();
      if (refused) {
        // Refused with a status rather than cut: when the sign-in has ended, the page itself leads to the sign-in page,
        // and reconnecting would never help.
        fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
          .then(function (r) {
            if (r.redirected && /\/dashboard\/sign-in/.test(r.url)) {
              end("Not live: signed out. Reload to sign in again.");
            }
          })
          .catch(function () {});
      }
    };
  }

  if (document.readyState === "complete") {
    follow();
  } else {
    window.addEventListener("load", follow);
  }
})();
