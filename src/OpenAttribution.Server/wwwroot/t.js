/*
 * OpenAttribution tracker. Paste on every page of your site:
 *
 *   <script src="https://YOUR-SERVER/t.js" data-write-key="oaw_..." async></script>
 *
 * Then, anywhere (calls made before the script loads are queued by this stub):
 *
 *   <script>window.oa = window.oa || []; oa.push(["conversion", "purchase", 49.90]);</script>
 *   oa.conversion("signup");           oa.conversion("purchase", 49.9, { id: "order-1234" });
 *   oa.identify("crm-contact-42");     oa.flush();   // a Promise: resolves when the server has the events
 *
 * What it sends (spec section 1): a first-party anonymous id (cookie "_oa_id", copied in
 * localStorage) on every event; a "touch" when a visit starts (no activity for 30 minutes), when the
 * URL carries campaign parameters (utm_*, gclid, msclkid, ...) or when the visitor comes from another
 * site, with the page URL (the server reads the UTM parameters in it) and the external referrer, so
 * the server's channel grouping assigns the channel; "conversion" and "identify" events on request.
 *
 * Delivery: events wait in localStorage and go in batches (up to 50, a second after the first one)
 * by fetch with keepalive; failures (network, 429, 5xx) are retried with backoff, also on the next
 * page view; on page hide the waiting events also go by sendBeacon. Every event has a random
 * event_id, so a batch sent twice is stored once. The write key travels as ?write_key= (sendBeacon
 * cannot set headers): it is public by design and can only add events to its workspace.
 */
(function () {
  "use strict";

  var existing = window.oa;
  if (existing && existing.__openattribution) {
    return;
  }

  var script = document.currentScript;
  var writeKey = script ? script.getAttribute("data-write-key") || "" : "";
  var base = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  var endpoint = (script && script.getAttribute("data-endpoint")) || base + "/v1/events";
  var url = endpoint + (endpoint.indexOf("?") < 0 ? "?" : "&") + "write_key=" + encodeURIComponent(writeKey);

  var QUEUE = "_oa_queue";
  var ID = "_oa_id";
  var USER = "_oa_user";
  var LAST = "_oa_last";
  var SESSION_MS = 30 * 60 * 1000;
  var BATCH = 50;
  var CAMPAIGN = ["utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "utm_id",
    "gclid", "gbraid", "wbraid", "dclid", "msclkid", "fbclid", "ttclid", "li_fat_id", "twclid"];

  var queue = load();
  var timer = null;
  var sending = false;
  var backoff = 0;
  var waiters = [];

  function storage(action, key, value) {
    try {
      if (action === "get") return window.localStorage.getItem(key);
      if (action === "set") window.localStorage.setItem(key, value);
    } catch (e) {
      // Storage blocked (private mode, quotas): work from memory and the cookie.
    }
    return null;
  }

  function load() {
    try {
      var saved = JSON.parse(storage("get", QUEUE) || "[]");
      return Array.isArray(saved) ? saved : [];
    } catch (e) {
      return [];
    }
  }

  function save() {
    storage("set", QUEUE, JSON.stringify(queue.slice(-1000)));
  }

  function randomId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : null;
  }

  function anonymousId() {
    var id = cookie(ID) || storage("get", ID);
    if (!id) id = randomId();
    var secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = ID + "=" + encodeURIComponent(id) + "; Max-Age=63072000; Path=/; SameSite=Lax" + secure;
    storage("set", ID, id);
    return id;
  }

  function enqueue(event) {
    event.event_id = event.event_id || randomId();
    event.timestamp = new Date().toISOString();
    event.anonymous_id = anonymousId();
    var user = storage("get", USER);
    if (user && !event.user_id) event.user_id = user;
    queue.push(event);
    save();
    storage("set", LAST, String(Date.now()));
    schedule(1000);
  }

  function schedule(delay) {
    if (timer === null) timer = setTimeout(function () { timer = null; send(); }, delay);
  }

  function settle() {
    if (queue.length === 0) {
      var done = waiters;
      waiters = [];
      done.forEach(function (resolve) { resolve(); });
    }
  }

  function send() {
    if (sending || queue.length === 0) {
      settle();
      return;
    }
    sending = true;
    var batch = queue.slice(0, BATCH);
    fetch(url, {
      method: "POST",
      body: JSON.stringify(batch),
      headers: { "Content-Type": "text/plain" },
      keepalive: true,
      credentials: "omit",
      mode: "cors"
    }).then(function (response) {
      // Stored (200), or refused for good (400 malformed, 413 too large): either way not retried.
      var final = response.ok || response.status === 400 || response.status === 413;
      done(batch, final);
    }, function () {
      done(batch, false);
    });
  }

  function done(batch, delivered) {
    sending = false;
    if (delivered) {
      var sent = {};
      batch.forEach(function (e) { sent[e.event_id] = true; });
      queue = queue.filter(function (e) { return !sent[e.event_id]; });
      save();
      backoff = 0;
      if (queue.length > 0) schedule(0); else settle();
    } else {
      backoff = Math.min(backoff ? backoff * 2 : 1000, 60000);
      schedule(backoff);
    }
  }

  function beacon() {
    if (queue.length === 0 || !navigator.sendBeacon) return;
    // Kept in the queue: if the beacon is lost, the next page view sends them again (same event ids).
    navigator.sendBeacon(url, new Blob([JSON.stringify(queue.slice(0, BATCH))], { type: "text/plain" }));
  }

  function pageView() {
    var page = new URL(location.href);
    page.hash = "";
    page.searchParams.delete("write_key");
    var campaign = CAMPAIGN.some(function (p) { return page.searchParams.has(p); });
    var referrer = "";
    try {
      if (document.referrer && new URL(document.referrer).hostname !== location.hostname) referrer = document.referrer;
    } catch (e) {
      referrer = "";
    }
    var last = Number(storage("get", LAST) || 0);
    var newVisit = !last || Date.now() - last > SESSION_MS;
    if (campaign || referrer || newVisit) {
      var touch = { type: "touch", url: page.toString() };
      if (referrer) touch.referrer = referrer;
      enqueue(touch);
    } else {
      storage("set", LAST, String(Date.now()));
    }
  }

  var api = {
    __openattribution: true,
    conversion: function (name, value, options) {
      var event = { type: "conversion", conversion: String(name) };
      if (value !== undefined && value !== null && value !== "") event.value = String(value);
      if (options && options.id) event.event_id = "conversion:" + String(name) + ":" + String(options.id);
      enqueue(event);
    },
    identify: function (userId) {
      if (!userId) return;
      storage("set", USER, String(userId));
      enqueue({ type: "identify", user_id: String(userId) });
    },
    flush: function () {
      return new Promise(function (resolve) {
        waiters.push(resolve);
        if (timer !== null) {
          clearTimeout(timer);
          timer = null;
        }
        send();
      });
    },
    pending: function () {
      return queue.length;
    },
    anonymousId: anonymousId,
    push: function (call) {
      var name = call && call[0];
      if (typeof api[name] === "function" && name !== "push") api[name].apply(api, Array.prototype.slice.call(call, 1));
    }
  };

  window.oa = api;
  pageView();
  if (Array.isArray(existing)) existing.forEach(api.push);
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") beacon(); });
  window.addEventListener("pagehide", beacon);
})();
