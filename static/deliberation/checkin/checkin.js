/* Plenary check-in: offline-tolerant, no framework.
   Every check-in gets a key made here (crypto.randomUUID). It is written to
   IndexedDB first, then sent; it leaves the queue only when the server has
   answered (a check-in it recorded, or one it refuses with a reason). The
   server is idempotent by the key, so sending it again never doubles it.
   The queue is sent on page load, when the browser says it is online again,
   and every 15 seconds while anything waits. */
(function () {
  "use strict";
  var root = document.getElementById("checkin");
  if (!root || !window.indexedDB || !window.fetch) return; // the plain forms still work

  var t = root.dataset;
  var DB_NAME = "plenary-checkin";
  var STORE = "queue";
  var csrf = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  var statusBox = document.getElementById("checkin-status");
  var networkBox = document.getElementById("checkin-network");
  var queueBox = document.getElementById("queue");
  var queueList = document.getElementById("queue-list");
  var queueCount = document.getElementById("queue-count");
  var counter = document.getElementById("checkin-count");
  var sending = false;

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // --- IndexedDB -------------------------------------------------------------------
  var dbPromise = new Promise(function (resolve, reject) {
    var open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = function () { open.result.createObjectStore(STORE, { keyPath: "key" }); };
    open.onsuccess = function () { resolve(open.result); };
    open.onerror = function () { reject(open.error); };
  });

  function tx(mode, work) {
    return dbPromise.then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var result = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { resolve(result && result.result); };
        transaction.onerror = function () { reject(transaction.error); };
      });
    });
  }
  function put(item) { return tx("readwrite", function (s) { return s.put(item); }); }
  function remove(key) { return tx("readwrite", function (s) { return s.delete(key); }); }
  function all() { return tx("readonly", function (s) { return s.getAll(); }).then(function (items) { return items || []; }); }

  // --- the page ------------------------------------------------------------------------
  function say(text, kind) {
    var p = document.createElement("p");
    p.className = "message message--" + (kind || "info");
    p.textContent = text;
    statusBox.replaceChildren(p);
  }

  function personFor(item) {
    var selector = item.payload.member
      ? '[data-member="' + item.payload.member + '"]'
      : '[data-code="' + (item.payload.badge_code || "") + '"]';
    return document.querySelector("#name-list " + selector);
  }

  function labelFor(payload) {
    if (payload.member) {
      var person = document.querySelector('#name-list [data-member="' + payload.member + '"]');
      var name = person && person.querySelector(".checkin__name");
      if (!name) return "#" + payload.member;
      // The badge code tells apart two people with the same name in the queue too.
      return name.firstChild.textContent.trim() + (person.dataset.code ? " · " + t.tCode + " " + person.dataset.code : "");
    }
    var code = payload.badge_code;
    var person = document.querySelector('#name-list [data-code="' + code + '"] .checkin__name');
    return (person ? person.firstChild.textContent.trim() + " · " : "") + t.tCode + " " + code;
  }

  function markPerson(li, state) {
    if (!li) return;
    var cell = li.querySelector("[data-state]");
    var form = li.querySelector("form");
    li.classList.toggle("is-present", state === "present");
    li.classList.toggle("is-waiting", state === "waiting");
    if (cell) cell.textContent = state === "present" ? t.tChecked : t.tWaiting;
    if (form) form.hidden = true;
  }

  function renderQueue() {
    return all().then(function (items) {
      items.sort(function (a, b) { return a.queuedAt - b.queuedAt; });
      queueList.replaceChildren();
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.textContent = item.label;
        queueList.appendChild(li);
        if (item.session === t.session) markPerson(personFor(item), "waiting");
      });
      queueCount.textContent = String(items.length);
      queueBox.hidden = items.length === 0;
      return items;
    });
  }

  function showNetwork() {
    networkBox.hidden = navigator.onLine;
    networkBox.textContent = navigator.onLine ? "" : t.tOffline;
  }

  // --- sending ---------------------------------------------------------------------------
  function send(item) {
    return fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(Object.assign({ client_key: item.key }, item.payload)),
    });
  }

  function flush() {
    if (sending || !navigator.onLine) return Promise.resolve();
    sending = true;
    return all()
      .then(function (items) {
        items.sort(function (a, b) { return a.queuedAt - b.queuedAt; });
        return items.reduce(function (chain, item) {
          return chain.then(function (go) {
            if (!go) return false;
            return send(item).then(
              function (response) {
                var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
                if (!json) { say(response.status === 0 || response.status === 401 ? t.tLogin : t.tRetry, "error"); return false; }
                return response.json().then(function (data) {
                  if (data.ok) {
                    if (data.created && item.session === t.session) counter.textContent = String(Number(counter.textContent) + 1);
                    if (item.session === t.session) markPerson(document.querySelector('#name-list [data-member="' + data.member + '"]'), "present");
                    say(data.message, "success");
                    return remove(item.key).then(function () { return true; });
                  }
                  if (response.status === 400) { // refused with a reason: it will never succeed
                    var li = personFor(item);
                    if (li && !li.classList.contains("is-present")) { li.classList.remove("is-waiting"); var f = li.querySelector("form"); if (f) f.hidden = false; var c = li.querySelector("[data-state]"); if (c) c.textContent = ""; }
                    say(item.label + ": " + data.error, "error");
                    return remove(item.key).then(function () { return true; });
                  }
                  say(data.error || t.tRetry, "error");
                  return false; // logged out, or the server is unwell: keep it
                });
              },
              function () { return false; } // no network: keep it, try later
            );
          });
        }, Promise.resolve(true));
      })
      .then(function () { sending = false; return renderQueue(); }, function () { sending = false; return renderQueue(); });
  }

  function checkIn(payload) {
    var item = {
      key: newKey(),
      url: t.recordUrl,
      session: t.session,
      payload: payload,
      label: labelFor(payload),
      queuedAt: Date.now(),
    };
    // Kept first, sent second: a check-in exists on the phone before anything can fail.
    return put(item).then(renderQueue).then(function () {
      if (!navigator.onLine) { say(item.label + " — " + t.tQueued, "info"); return; }
      return flush().then(function () {
        return all().then(function (items) {
          if (items.some(function (i) { return i.key === item.key; })) say(item.label + " — " + t.tQueued, "info");
        });
      });
    });
  }

  // --- forms ----------------------------------------------------------------------------
  var codeForm = document.getElementById("code-form");
  var codeInput = document.getElementById("badge-code");
  codeForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = codeInput.value.toUpperCase().replace(/[^A-Z0-9]/g, "");
    if (!code) { codeInput.focus(); return; }
    codeInput.value = "";
    checkIn({ badge_code: code }).then(function () { codeInput.focus(); });
  });

  document.getElementById("name-list").addEventListener("submit", function (event) {
    var form = event.target.closest("form");
    if (!form) return;
    event.preventDefault();
    checkIn({ member: form.querySelector("input[name=member]").value });
  });

  var filter = document.getElementById("name-filter");
  filter.addEventListener("input", function () {
    var needle = filter.value.trim().toLowerCase();
    document.querySelectorAll("#name-list .checkin__person").forEach(function (li) {
      var code = li.dataset.code.toLowerCase(), bare = needle.replace(/[^a-z0-9]/g, "");
      li.hidden = needle !== "" && li.dataset.name.indexOf(needle) === -1 && !(bare && code.indexOf(bare) === 0);
    });
  });

  // --- optional: scan the QR code where the browser can ----------------------------------
  var scanButton = document.getElementById("scan-button");
  if ("BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    scanButton.hidden = false;
    scanButton.addEventListener("click", function () {
      var video = document.getElementById("scan-video");
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        var stop = function () { stream.getTracks().forEach(function (track) { track.stop(); }); video.hidden = true; };
        var look = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length) { stop(); codeInput.value = codes[0].rawValue; codeForm.requestSubmit(); }
            else if (!video.hidden) requestAnimationFrame(look);
          }, function () { stop(); say(t.tNoCamera, "error"); });
        };
        look();
      }, function () { say(t.tNoCamera, "error"); });
    });
  }

  // --- start ------------------------------------------------------------------------------
  window.addEventListener("online", function () { showNetwork(); flush(); });
  window.addEventListener("offline", showNetwork);
  setInterval(function () { if (!queueBox.hidden) flush(); }, 15000);
  showNetwork();
  renderQueue().then(flush);
  if ("serviceWorker" in navigator && t.swUrl) {
    navigator.serviceWorker.register(t.swUrl).catch(function () { /* offline reloads only */ });
  }
})();
