/* Runs in the hidden frame of iframe-worker.js, before Material's search worker:
 * gives the worker's script what a real Web Worker would have. */
"use strict";

window.postMessage = (message, origin) => parent.postMessage(message, origin || "*");

window.importScripts = (...urls) => urls.reduce((chain, url) => chain.then(() => new Promise((resolve) => {
  const script = document.createElement("script");
  script.src = url;
  script.onload = resolve;
  document.body.appendChild(script);
})), Promise.resolve());

addEventListener("error", ({ error }) => {
  parent.dispatchEvent(new ErrorEvent("error", { filename: frameElement.dataset.worker, error }));
});
