/* The QR scanner of the home and prefecture pages (templates/_scanner.html).

   Progressive enhancement: without this script, or without a camera, the block is a plain form
   that a USB barcode reader (a "keyboard wedge") or a paste fills. With it, a "Start the camera"
   button (nothing starts by itself: the camera is the visitor's decision) shows the preview and
   reads a few frames a second, with the browser's BarcodeDetector where it reads QR codes
   (Chrome on Android and macOS, Safari) and otherwise with jsQR (verifier/static/vendor, pinned
   in package-lock.json; Chromium on Linux and Windows, Firefox). The first QR code that is a
   seal URL stops the camera and is submitted through the very same form, so the server keeps
   the last word (it keeps only the payload and answers with this site's seal page: no open
   redirect). Every text shown comes translated from the page's data-text-* attributes; status
   changes are announced by the aria-live region. No inline script: the Content-Security-Policy
   is script-src 'self'. */
(function () {
  "use strict";

  // A seal URL as signing/seal/_text.py writes it: http(s)://BASE/V/BASE32 (the base may have
  // a path, in letters, digits and -./:), any case, a trailing slash tolerated. A payload is
  // well over 16 characters (its signature alone is 103).
  const SEAL_URL = /^https?:\/\/[a-z0-9.:\/-]+\/v\/[a-z2-7]{16,}\/?$/i;
  // Five frames a second: a code held up is read at once, and a laptop's fan stays quiet.
  const INTERVAL_MS = 200;
  // Frames larger than this on their long side are scaled down before jsQR reads them.
  const MAX_SIDE = 800;

  function reasonOf(error) {
    const name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") {
      return "denied";
    }
    if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") {
      return "no-camera";
    }
    return "failed";
  }

  // The browser's own detector when it knows QR codes, else null (jsQR then reads the frames).
  async function nativeDetector() {
    if (typeof window.BarcodeDetector !== "function") {
      return null;
    }
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      return formats.includes("qr_code") ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
    } catch (error) {
      return null;
    }
  }

  function setUp(block) {
    const form = block.querySelector("[data-scanner-form]");
    const field = form.querySelector("input[name=seal]");
    const camera = block.querySelector("[data-scanner-camera]");
    const start = block.querySelector("[data-scanner-start]");
    const stop = block.querySelector("[data-scanner-stop]");
    const video = block.querySelector("[data-scanner-video]");
    const status = block.querySelector("[data-scanner-status]");
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    let stream = null;
    let timer = null;
    let detector = null;
    let frames = 0;
    let lastOther = null;

    // The state is also an attribute, for the styles and for the tests that watch the page.
    function say(state) {
      block.setAttribute("data-state", state);
      status.textContent = block.getAttribute("data-text-" + state) || "";
    }

    function stopCamera() {
      if (timer !== null) {
        clearTimeout(timer);
        timer = null;
      }
      if (stream !== null) {
        stream.getTracks().forEach((track) => track.stop());
        stream = null;
      }
      video.srcObject = null;
      video.hidden = true;
      stop.hidden = true;
      start.hidden = false;
      start.disabled = false;
    }

    async function readFrame() {
      if (video.readyState < video.HAVE_CURRENT_DATA || !video.videoWidth) {
        return [];
      }
      if (detector !== null) {
        const codes = await detector.detect(video);
        return codes.map((code) => code.rawValue);
      }
      const scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
      const width = Math.round(video.videoWidth * scale);
      const height = Math.round(video.videoHeight * scale);
      canvas.width = width;
      canvas.height = height;
      context.drawImage(video, 0, 0, width, height);
      const image = context.getImageData(0, 0, width, height);
      // Printed certificates are dark on light: the inverted pass would only halve the rate.
      const code = window.jsQR(image.data, width, height, { inversionAttempts: "dontInvert" });
      return code ? [code.data] : [];
    }

    function submit(text) {
      stopCamera();
      say("found");
      block.setAttribute("data-frames", String(frames));
      console.info("sceau-scan: seal read after " + frames + " frames by " + block.getAttribute("data-decoder"));
      field.value = text;
      if (typeof form.requestSubmit === "function") {
        form.requestSubmit();
      } else {
        form.submit();
      }
    }

    async function tick() {
      timer = null;
      if (stream === null) {
        return;
      }
      frames += 1;
      let texts = [];
      try {
        texts = await readFrame();
      } catch (error) {
        texts = []; // a frame that could not be read: the next one will do
        if (detector !== null && typeof window.jsQR === "function") {
          detector = null; // a BarcodeDetector that throws is not trusted again: jsQR takes over
          block.setAttribute("data-decoder", "jsqr");
        }
      }
      if (stream === null) {
        return; // stopped while this frame was being read
      }
      for (const raw of texts) {
        const text = String(raw).trim();
        if (SEAL_URL.test(text)) {
          submit(text);
          return;
        }
        if (text !== lastOther) {
          lastOther = text; // announced once per code, not five times a second
          say("not-sceau");
        }
      }
      timer = setTimeout(tick, INTERVAL_MS);
    }

    async function startCamera() {
      if (stream !== null) {
        return;
      }
      start.disabled = true;
      say("starting");
      let opened;
      try {
        opened = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: "environment" },
          audio: false,
        });
      } catch (error) {
        stopCamera();
        say(reasonOf(error));
        start.focus();
        return;
      }
      stream = opened;
      video.srcObject = opened;
      video.hidden = false;
      start.hidden = true;
      stop.hidden = false;
      stop.focus(); // the button that was pressed is gone: keep the keyboard user in place
      try {
        await video.play();
      } catch (error) {
        // muted inline video may always play; a refusal here leaves frames empty, not broken
      }
      detector = await nativeDetector();
      if (detector === null && typeof window.jsQR !== "function") {
        stopCamera();
        say("failed");
        return;
      }
      block.setAttribute("data-decoder", detector !== null ? "barcode-detector" : "jsqr");
      frames = 0;
      lastOther = null;
      say("scanning");
      tick();
    }

    if (!navigator.mediaDevices || typeof navigator.mediaDevices.getUserMedia !== "function") {
      // Plain http on another machine than localhost, or an old browser: the field still works.
      say("unavailable");
      return;
    }
    camera.hidden = false;
    start.addEventListener("click", startCamera);
    stop.addEventListener("click", () => {
      stopCamera();
      say("stopped");
      start.focus();
    });
    block.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && stream !== null) {
        stopCamera();
        say("stopped");
        start.focus();
      }
    });
    // The camera never stays on behind the visitor's back: another tab, or another page.
    document.addEventListener("visibilitychange", () => {
      if (document.hidden && stream !== null) {
        stopCamera();
        say("stopped");
      }
    });
    window.addEventListener("pagehide", stopCamera);
    // Back from the verdict page (back-forward cache): not "found" any more, ready again.
    window.addEventListener("pageshow", (event) => {
      if (event.persisted) {
        stopCamera();
        block.removeAttribute("data-state");
        status.textContent = "";
      }
    });
  }

  document.querySelectorAll("[data-scanner]").forEach(setUp);
})();
