"""The handbook opened from disk (``file://``): search without a server and without the internet.

Material's ``offline`` plugin writes the search index as a script (``search/search_index.js``), which a
page opened from disk may load, and turns directory URLs off, so that every link names an HTML file. The
search itself runs in a Web Worker, which browsers refuse to start from a ``file://`` page; for that the
plugin adds a script from unpkg.com to every page, which a delivery floor without internet cannot load
and which the handbook would otherwise fetch from a third party on every visit. The ``isms`` plugin
replaces it with :data:`SCRIPT`, written here and published with the site: opened from disk, it runs the
worker's script in a hidden frame of the page instead. Served over HTTP it does nothing.
"""

from __future__ import annotations

from typing import Any

PATH = "assets/isms-offline-search.js"
# A stand-in for `Worker` on file:// pages, enough for Material's search worker: messages both ways,
# `importScripts` (for other languages' stemmers) as a promise the worker awaits.
SCRIPT = """\
/* isms-toolkit: the handbook's search, opened from disk (file://). Browsers refuse a Web Worker there,
   so the search script runs in a hidden frame of this page instead. Nothing is loaded from elsewhere. */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;
  function load(frame, url) {
    return new Promise(function (resolve, reject) {
      var script = frame.document.createElement("script");
      script.src = new URL(url, location.href).href;
      script.onload = resolve;
      script.onerror = reject;
      frame.document.head.appendChild(script);
    });
  }
  function FrameWorker(url) {
    var worker = this, listeners = [], waiting = [], ready = false;
    var element = document.createElement("iframe");
    element.hidden = true;
    element.tabIndex = -1;
    element.setAttribute("aria-hidden", "true");
    document.body.appendChild(element);
    var frame = element.contentWindow;
    function deliver(data) {
      frame.dispatchEvent(new frame.MessageEvent("message", { data: data }));
    }
    frame.postMessage = function (data) {
      setTimeout(function () {
        var event = new MessageEvent("message", { data: data });
        if (typeof worker.onmessage === "function") worker.onmessage(event);
        listeners.slice().forEach(function (listener) { listener.call(worker, event); });
      }, 0);
    };
    frame.importScripts = function () {
      var urls = Array.prototype.slice.call(arguments);
      return urls.reduce(function (done, next) {
        return done.then(function () { return load(frame, next); });
      }, Promise.resolve());
    };
    this.onmessage = null;
    this.postMessage = function (data) {
      if (ready) setTimeout(function () { deliver(data); }, 0);
      else waiting.push(data);
    };
    this.addEventListener = function (type, listener) {
      if (type === "message") listeners.push(listener);
    };
    this.removeEventListener = function (type, listener) {
      var index = listeners.indexOf(listener);
      if (index >= 0) listeners.splice(index, 1);
    };
    this.terminate = function () { element.remove(); };
    load(frame, url).then(function () {
      ready = true;
      waiting.splice(0).forEach(deliver);
    });
  }
  window.IFrameWorker = FrameWorker;
  window.Worker = FrameWorker;
})();
"""


def enabled(config: Any) -> bool:
    """True when Material's offline plugin is on in ``config``: the handbook is built to open from disk."""
    from material.plugins.offline.plugin import (  # type: ignore[import-untyped]  # noqa: PLC0415
        OfflinePlugin,  # imported here: only a build with Material needs it
    )

    return any(
        isinstance(plugin, OfflinePlugin) and bool(plugin.config.enabled)
        for plugin in config.plugins.values()
    )


def use_local_script(config: Any) -> None:
    """Put :data:`PATH` in place of the offline plugin's script from unpkg.com (run after that plugin's
    ``on_config``, which adds it)."""
    polyfills = [item for item in config.extra.get("polyfills") or [] if "iframe-worker" not in str(item)]
    config.extra["polyfills"] = [*polyfills, PATH]
