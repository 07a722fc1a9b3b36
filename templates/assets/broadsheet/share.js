/* Broadsheet share widget: "Share via…" (Web Share API), "Copy link", and the Mastodon
 * server prompt. Progressive enhancement of partials/share.html, which works without it.
 * Clicks are handled by delegation on `document`, so content swapped in by Material's
 * instant navigation works without re-binding; each new page is prepared through
 * Material's `document$` when it exists. No request leaves the page. */
(function () {
  "use strict";

  var STORAGE_KEY = "broadsheet.mastodon-instance";
  var LABEL_RE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

  if (window.__broadsheetShare) return; // loaded twice (e.g. re-executed): keep one set of handlers
  window.__broadsheetShare = true;

  function absoluteUrl(root) {
    // Without `site_url` the build cannot know the public address (the site may live in a
    // sub-folder): the page's own address is the article's.
    var url = root.getAttribute("data-url") || "";
    return /^https?:\/\//i.test(url) ? url : window.location.href.split("#")[0];
  }

  function part(root, name) {
    return root.querySelector("[data-bs-" + name + "]");
  }

  function announce(root, message) {
    var status = part(root, "status");
    if (!status) return;
    // Empty first, so the same message is announced again on a second click.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function prepare(root) {
    if (root.hasAttribute("data-bs-ready")) return;
    root.setAttribute("data-bs-ready", "");
    var shareVia = part(root, "share-via");
    if (shareVia && typeof navigator.share === "function") shareVia.hidden = false;
    var copy = part(root, "copy");
    if (copy) copy.hidden = false;
    var field = part(root, "copy-field");
    if (field && copy) field.hidden = true;
    var form = part(root, "mastodon-form");
    var nojs = part(root, "mastodon-nojs");
    if (form) form.hidden = false;
    if (nojs) nojs.hidden = true;
    var panel = part(root, "mastodon-panel");
    if (panel && form) {
      var remembered = readInstance();
      if (remembered) form.elements.instance.value = remembered;
    }
  }

  function prepareAll() {
    var roots = document.querySelectorAll("[data-bs-share]");
    for (var i = 0; i < roots.length; i++) prepare(roots[i]);
  }

  function showFallback(root) {
    var field = part(root, "copy-field");
    if (field) {
      field.hidden = false;
      var input = field.querySelector("input");
      input.value = absoluteUrl(root);
      input.focus();
      input.select();
    }
    announce(root, root.getAttribute("data-copy-failed"));
  }

  function copyLink(root) {
    var url = absoluteUrl(root);
    var clipboard = navigator.clipboard;
    if (!clipboard || typeof clipboard.writeText !== "function") {
      showFallback(root);
      return;
    }
    clipboard.writeText(url).then(function () {
      announce(root, root.getAttribute("data-copied"));
    }, function () {
      showFallback(root);
    });
  }

  function shareVia(root) {
    var data = {
      title: root.getAttribute("data-title") || document.title,
      text: root.getAttribute("data-text") || "",
      url: absoluteUrl(root)
    };
    Promise.resolve().then(function () { return navigator.share(data); }).catch(function (err) {
      // The reader closing the share sheet is not an error; anything else falls back to copying.
      if (!err || err.name !== "AbortError") copyLink(root);
    });
  }

  function readInstance() {
    try { return window.localStorage.getItem(STORAGE_KEY) || ""; } catch (e) { return ""; }
  }

  function rememberInstance(host) {
    try { window.localStorage.setItem(STORAGE_KEY, host); } catch (e) { /* storage blocked */ }
  }

  // "https://mastodon.social/@me", "@me@mastodon.social" or "mastodon.social" -> host.
  function instanceHost(value) {
    var text = (value || "").trim();
    var at = text.lastIndexOf("@");
    if (text.indexOf("://") < 0 && at >= 0) text = text.slice(at + 1);
    text = text.replace(/^[a-z]+:\/\//i, "").split(/[\/?#]/)[0].toLowerCase();
    return isHost(text) ? text : "";
  }

  // A DNS name with at least two labels, optionally with a port (no regex lookbehind:
  // older Safari would reject the whole script).
  function isHost(text) {
    var pieces = text.split(":");
    if (pieces.length > 2 || (pieces.length === 2 && !/^\d{1,5}$/.test(pieces[1]))) return false;
    var labels = pieces[0].split(".");
    if (labels.length < 2 || pieces[0].length > 253) return false;
    for (var i = 0; i < labels.length; i++) {
      if (!LABEL_RE.test(labels[i])) return false;
    }
    return true;
  }

  function toggleMastodon(link, root) {
    var panel = part(root, "mastodon-panel");
    if (!panel) return false;
    var open = !panel.classList.contains("bs-share__mastodon--open");
    panel.classList.toggle("bs-share__mastodon--open", open);
    link.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      var input = panel.querySelector("input[name=instance]");
      if (input) { input.focus(); input.select(); }
    }
    return true;
  }

  function shareOnMastodon(form, root) {
    var panel = part(root, "mastodon-panel");
    var error = part(root, "mastodon-error");
    var input = form.elements.instance;
    var host = instanceHost(input.value);
    if (!host) {
      input.setAttribute("aria-invalid", "true");
      if (error) error.textContent = root.getAttribute("data-mastodon-invalid");
      input.focus();
      return;
    }
    input.removeAttribute("aria-invalid");
    if (error) error.textContent = "";
    input.value = host;
    rememberInstance(host);
    var url = "https://" + host + "/share?text=" + encodeURIComponent(panel.getAttribute("data-text"));
    window.open(url, "_blank", "noopener,noreferrer");
  }

  function controlFor(event, selector) {
    var target = event.target instanceof Element ? event.target : null;
    var control = target && target.closest(selector);
    var root = control && control.closest("[data-bs-share]");
    return root ? {control: control, root: root} : null;
  }

  document.addEventListener("click", function (event) {
    var found = controlFor(event, "[data-bs-copy],[data-bs-share-via]");
    if (!found) return;
    if (found.control.hasAttribute("data-bs-copy")) copyLink(found.root);
    else shareVia(found.root);
  });

  // Capture phase: the Mastodon link points into this page, and Material's instant
  // navigation (listening on `document`) would otherwise follow it as an anchor.
  // Ctrl/⌘/Shift-click still opens the link as the browser would.
  document.addEventListener("click", function (event) {
    var found = controlFor(event, "[data-bs-mastodon]");
    if (!found || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (toggleMastodon(found.control, found.root)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target instanceof Element && event.target.closest("[data-bs-mastodon-form]");
    var root = form && form.closest("[data-bs-share]");
    if (!root) return;
    event.preventDefault();
    shareOnMastodon(form, root);
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(prepareAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", prepareAll);
  } else {
    prepareAll();
  }
})();
