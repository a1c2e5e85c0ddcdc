/* Search in the offline copy, opened from file:// addresses.
 *
 * Browsers start no Web Worker from a file:// address, so Material's search worker
 * runs in a hidden frame instead. Based on iframe-worker by Martin Donath (MIT
 * licence, docs/assets/vendor/iframe-worker/LICENSE), changed so that the frame holds
 * no inline script: the handbook's Content-Security-Policy allows none. What the
 * worker needs (postMessage, importScripts) comes from iframe-worker-frame.js.
 */
(() => {
  "use strict";

  const frameScript = new URL("iframe-worker-frame.js", document.currentScript.src).href;

  class FrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.url = `${url}`;
      this.iframe = document.createElement("iframe");
      this.iframe.hidden = true;
      this.iframe.dataset.worker = this.url;
      document.body.appendChild(this.iframe);
      const page = this.iframe.contentWindow.document;
      page.open();
      page.write(`<html><body><script src="${frameScript}"></script>` +
                 `<script src="${this.url}?${Date.now()}"></script></body></html>`);
      page.close();
      window.onmessage = (event) => {
        if (event.source !== this.iframe.contentWindow) return;
        this.dispatchEvent(new MessageEvent("message", { data: event.data }));
        if (this.onmessage) this.onmessage(event);
      };
      window.onerror = (message, filename, lineno, colno, error) => {
        if (filename !== this.url) return;
        const event = new ErrorEvent("error", { message, filename, lineno, colno, error });
        this.dispatchEvent(event);
        if (this.onerror) this.onerror(event);
      };
      this.ready = new Promise((resolve, reject) => {
        this.iframe.contentWindow.onload = resolve;
        this.iframe.contentWindow.onerror = reject;
      });
    }

    terminate() {
      this.iframe.remove();
      window.onmessage = window.onerror = null;
    }

    postMessage(data) {
      this.ready.catch().then(() => {
        this.iframe.contentWindow.dispatchEvent(new MessageEvent("message", structuredClone({ data })));
      });
    }
  }

  window.IFrameWorker = FrameWorker;
  if (location.protocol === "file:") window.Worker = FrameWorker;
})();
