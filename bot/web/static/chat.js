// The participants' chat page. No framework, no inline script (the CSP forbids it), no remote asset.
// Every user-facing string comes from /api/strings (bot/web/translations/<lang>.json) or is
// already in the server-rendered page. The conversation id is never seen here: it lives in an
// HttpOnly cookie that the server issues and signs.
//
// Language: the server renders the page in the person's language (data-language on <html>). The
// 中文 / English buttons re-render the page's own strings in place (every element marked
// data-i18n="key", data-i18n-label for aria-label) and ask the bot to switch, so it answers and
// re-asks its question in that language. After every turn the server says the conversation's
// language, which the bot may have changed ("说中文" typed in the chat): the page follows it.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const root = document.documentElement;
  let language = root.dataset.language || "en";
  let switching = null; // the language a pressed language button is switching to
  const log = $("log");
  const typing = $("typing");
  const input = $("message");
  const form = $("composer");
  const fieldError = $("message-error");
  const problem = $("problem");
  const problemText = $("problem-text");
  const progress = $("progress");
  const notice = $("notice");
  const changeButton = $("change");
  const correcting = $("correcting");
  const confirmForget = $("forget-confirm");
  const dock = $("dock");
  const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  let S = null; // the strings, once loaded
  let queue = Promise.resolve(); // turns are sent one at a time, so replies arrive in order
  let pending = 0;
  let retry = null; // what the Retry button does after a failure
  let correctingNow = false;
  let lastState = null; // the last progress and options, to say them again in another language

  // --- display settings (kept in this browser only) ---------------------------------------

  const SIZES = ["normal", "large", "xlarge"];

  function stored(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }

  function store(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch (e) {
      /* private mode: the setting lasts for this page only */
    }
  }

  function applyDisplay() {
    const size = SIZES.includes(stored("chat.textSize")) ? stored("chat.textSize") : "normal";
    SIZES.forEach((s) => root.classList.toggle("size-" + s, s === size));
    document.querySelectorAll("[data-size]").forEach((b) => {
      b.setAttribute("aria-pressed", String(b.dataset.size === size));
    });
    const saved = stored("chat.contrast");
    const contrast = saved === null ? window.matchMedia("(prefers-contrast: more)").matches : saved === "1";
    root.classList.toggle("contrast", contrast);
    $("contrast").setAttribute("aria-pressed", String(contrast));
    measureDock();
  }

  // Scrolling (and focus) keeps clear of the message box only where it stays on screen (sticky).
  function measureDock() {
    document.body.classList.toggle("talking", log.childElementCount > 0);
    root.style.setProperty("--dock-height", dockCovers() + "px");
  }

  // --- talking to the server ------------------------------------------------------------

  function url(path, code) {
    return path + (path.includes("?") ? "&" : "?") + "lang=" + encodeURIComponent(code || language);
  }

  async function call(method, path, body, code) {
    const options = { method: method, headers: { Accept: "application/json" }, credentials: "same-origin" };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let reply;
    try {
      reply = await fetch(url(path, code), options);
    } catch (e) {
      throw { status: 0, data: null };
    }
    let data = null;
    try {
      data = await reply.json();
    } catch (e) {
      data = null;
    }
    if (!reply.ok) {
      throw { status: reply.status, data: data };
    }
    return data;
  }

  function errorText(failure) {
    if (failure.data && typeof failure.data.error === "string" && failure.status !== 404) {
      return failure.data.error;
    }
    return S ? S.unreachable : null;
  }

  // --- the conversation on screen --------------------------------------------------------

  function quickReplies(buttons, correction) {
    const group = document.createElement("div");
    group.className = "quick-replies";
    group.setAttribute("role", "group");
    if (S) group.setAttribute("aria-label", S.reply_buttons);
    buttons.forEach((b) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "quick";
      button.textContent = b.title;
      button.dataset.reply = b.payload;
      button.addEventListener("click", () => {
        if (correction) {
          send(b.payload, S.changed_answer + " " + b.title, { correction: true, fromButton: true });
        } else {
          send(b.payload, b.title, { fromButton: true });
        }
      });
      group.appendChild(button);
    });
    return group;
  }

  function addMessage(message) {
    const item = document.createElement("div");
    item.className = "msg " + (message.from === "user" ? "user" : "bot");
    const who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = S ? (message.from === "user" ? S.you_said : S.assistant_said) + " " : "";
    const text = document.createElement("p");
    text.className = "text";
    text.textContent = message.text;
    item.append(who, text);
    log.appendChild(item);
    if (message.from !== "user" && message.buttons && message.buttons.length) {
      log.appendChild(quickReplies(message.buttons, false));
    }
    return item;
  }

  function clearQuickReplies() {
    log.querySelectorAll(".quick-replies").forEach((group) => group.remove());
  }

  function showProgress() {
    const remaining = lastState && lastState.progress ? lastState.progress.remaining : null;
    if (remaining) {
      progress.textContent =
        remaining === 1 ? S.progress_one : S.progress_other.replace("{n}", String(remaining));
      progress.hidden = false;
    } else {
      progress.textContent = "";
      progress.hidden = true;
    }
  }

  function applyState(data) {
    lastState = data;
    showProgress();
    changeButton.hidden = !(data && data.can_change);
    measureDock();
    if (data && data.forget_asked) {
      openForget(false);
    }
  }

  function setBusy(busy) {
    typing.hidden = !busy;
    log.setAttribute("aria-busy", String(busy));
  }

  function showProblem(text, onRetry) {
    if (text) problemText.textContent = text;
    retry = onRetry;
    problem.hidden = false;
    problem.scrollIntoView({ block: "nearest" });
  }

  function hideProblem() {
    problem.hidden = true;
    retry = null;
  }

  function showFieldError(text) {
    fieldError.textContent = text;
    fieldError.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }

  function clearFieldError() {
    fieldError.hidden = true;
    fieldError.textContent = "";
    input.removeAttribute("aria-invalid");
  }

  // Show as much of the new turn as fits above the dock, always including its end (the question
  // and its buttons); if even the last message does not fit, show that message's start.
  function reveal(first) {
    if (!first) return;
    const last = log.lastElementChild;
    const room = window.innerHeight - dockCovers();
    const bottom = last.getBoundingClientRect().bottom;
    const behavior = reduceMotion ? "auto" : "smooth";
    const fresh = [];
    for (let node = first; node; node = node.nextElementSibling) {
      if (node.classList.contains("msg")) fresh.push(node);
    }
    const fits = fresh.find((node) => bottom - node.getBoundingClientRect().top <= room);
    if (fits) {
      last.scrollIntoView({ block: "end", behavior: behavior });
    } else {
      fresh[fresh.length - 1].scrollIntoView({ block: "start", behavior: behavior });
    }
  }

  function dockCovers() {
    return window.getComputedStyle(dock).position === "sticky" ? dock.offsetHeight : 0;
  }

  // --- one turn ---------------------------------------------------------------------------

  function send(message, label, options) {
    options = options || {};
    if (!S) return;
    clearFieldError();
    hideProblem();
    notice.textContent = "";
    clearQuickReplies();
    if (options.correction) stopCorrecting(false);
    const bubble = addMessage({ from: "user", text: label });
    pending += 1;
    setBusy(true);
    queue = queue.then(() => turn(message, label, options, bubble));
  }

  async function turn(message, label, options, bubble) {
    let data;
    try {
      data = await call("POST", "/api/chat", { message: message, correction: Boolean(options.correction) });
    } catch (failure) {
      pending -= 1;
      setBusy(pending > 0);
      failed(failure, message, label, options, bubble);
      return;
    }
    pending -= 1;
    setBusy(pending > 0);
    await useLanguage(data.language); // before the replies, so they are announced in their language
    let first = null;
    data.messages.forEach((m) => {
      const item = addMessage(m);
      first = first || item;
    });
    applyState(data);
    reveal(first);
    const buttons = log.querySelectorAll(".quick-replies .quick");
    if (options.fromButton && buttons.length) {
      buttons[0].focus({ preventScroll: true });
    } else if (options.fromButton || document.activeElement === document.body) {
      input.focus({ preventScroll: true });
    }
  }

  function failed(failure, message, label, options, bubble) {
    if (failure.status === 400 || failure.status === 413) {
      bubble.remove();
      if (!options.fromButton) input.value = message;
      showFieldError(errorText(failure));
      return;
    }
    if (failure.status === 503) {
      // Rasa could not be reached: the message did not get through, so it is safe to send again.
      bubble.remove();
      showProblem(errorText(failure), () => send(message, label, options));
      return;
    }
    // A time-out or a lost connection: the turn may have happened. Reload instead of sending twice.
    showProblem(failure.status === 504 ? errorText(failure) : S.unreachable, () =>
      loadHistory().then((ok) => {
        if (ok && !options.fromButton && !options.correction && !lastUserSaid(label)) input.value = message;
      })
    );
  }

  function lastUserSaid(text) {
    const mine = log.querySelectorAll(".msg.user .text");
    return mine.length > 0 && mine[mine.length - 1].textContent === text;
  }

  async function loadHistory() {
    hideProblem();
    setBusy(true);
    let data;
    try {
      data = await call("GET", "/api/history");
    } catch (failure) {
      setBusy(false);
      showProblem(errorText(failure), () => loadHistory());
      return false;
    }
    setBusy(false);
    await useLanguage(data.language);
    log.textContent = "";
    data.messages.forEach(addMessage);
    applyState(data);
    if (data.messages.length) {
      log.lastElementChild.scrollIntoView({ block: "nearest" });
    }
    return true;
  }

  // --- language --------------------------------------------------------------------------

  // Every string of the page itself in the current language (S); the bot's messages stay as sent.
  function applyStrings() {
    root.lang = S.html_lang;
    root.dir = S.dir;
    root.dataset.language = language;
    document.title = S.page_title;
    document.querySelectorAll("[data-i18n]").forEach((node) => {
      node.textContent = S[node.dataset.i18n];
    });
    document.querySelectorAll("[data-i18n-label]").forEach((node) => {
      node.setAttribute("aria-label", S[node.dataset.i18nLabel]);
    });
    document.querySelectorAll("button[data-language]").forEach((b) => {
      b.setAttribute("aria-pressed", String(b.dataset.language === language));
    });
    log.querySelectorAll(".msg").forEach((item) => {
      item.querySelector(".visually-hidden").textContent =
        (item.classList.contains("user") ? S.you_said : S.assistant_said) + " ";
    });
    document.querySelectorAll(".quick-replies[role=group]").forEach((g) => g.setAttribute("aria-label", S.reply_buttons));
    showProgress();
    measureDock();
  }

  // Show the page in this language; false if its strings could not be loaded (nothing changes then).
  async function useLanguage(code) {
    if (!code || code === language) return true;
    let strings;
    try {
      strings = await call("GET", "/api/strings", undefined, code);
    } catch (failure) {
      return false;
    }
    language = code;
    S = strings;
    applyStrings();
    return true;
  }

  // A language button: the page switches, then the bot (which answers, and asks again, in it).
  function chooseLanguage(code) {
    if (!S || code === (switching || language)) return;
    switching = code;
    const payload = '/switch_language{"language":"' + code + '"}';
    queue = queue.then(() => useLanguage(code)).then(() => {
      switching = null;
    });
    send(payload, S.payloads[payload] || code, { fromButton: true });
  }

  // --- change my last answer --------------------------------------------------------------

  async function startCorrecting() {
    hideProblem();
    let data;
    try {
      data = await call("GET", "/api/last-answer");
    } catch (failure) {
      showProblem(errorText(failure), () => startCorrecting());
      return;
    }
    if (!data.last) {
      notice.textContent = S.change_nothing;
      return;
    }
    correctingNow = true;
    $("correcting-question").textContent = data.last.question;
    const holder = $("correcting-buttons");
    holder.textContent = "";
    if (data.last.buttons.length) {
      holder.appendChild(quickReplies(data.last.buttons, true));
    }
    correcting.hidden = false;
    measureDock();
    correcting.scrollIntoView({ block: "nearest" });
    $("correcting-heading").focus({ preventScroll: true });
  }

  function stopCorrecting(returnFocus) {
    correctingNow = false;
    correcting.hidden = true;
    measureDock();
    if (!returnFocus) return;
    if (changeButton.hidden) input.focus();
    else changeButton.focus();
  }

  // --- forget my answers --------------------------------------------------------------------

  // The person asked (button, or typed "forget my answers"): confirm before deleting everything.
  function openForget(moveFocus) {
    confirmForget.hidden = false;
    if (moveFocus) {
      confirmForget.scrollIntoView({ block: "nearest" });
      $("forget-heading").focus({ preventScroll: true });
    }
  }

  async function forgetEverything() {
    let data;
    try {
      data = await call("POST", "/api/forget", {});
    } catch (failure) {
      showProblem(errorText(failure), () => {
        queue = queue.then(forgetEverything);
      });
      return;
    }
    confirmForget.hidden = true;
    stopCorrecting(false);
    log.textContent = "";
    applyState(null);
    notice.textContent = data.message;
    measureDock();
    $("intro-heading").scrollIntoView({ block: "start" });
    input.focus({ preventScroll: true });
  }

  // --- wiring -------------------------------------------------------------------------------

  function wire() {
    document.querySelectorAll("[data-size]").forEach((b) => {
      b.addEventListener("click", () => {
        store("chat.textSize", b.dataset.size);
        applyDisplay();
      });
    });
    $("contrast").addEventListener("click", () => {
      store("chat.contrast", root.classList.contains("contrast") ? "0" : "1");
      applyDisplay();
    });
    document.querySelectorAll("button[data-language]").forEach((b) => {
      b.addEventListener("click", () => chooseLanguage(b.dataset.language));
    });
    document.querySelectorAll("button[data-payload]").forEach((b) => {
      b.addEventListener("click", () => send(b.dataset.payload, b.textContent.trim(), { fromButton: true }));
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) {
        showFieldError(S ? S.empty : "");
        return;
      }
      if (S && text.length > 2000) {
        showFieldError(S.too_long.replace("{n}", "2000"));
        return;
      }
      input.value = "";
      if (correctingNow) {
        send(text, S.changed_answer + " " + text, { correction: true });
      } else {
        send(text, text, {});
      }
    });
    input.addEventListener("input", clearFieldError);
    $("retry").addEventListener("click", () => {
      const again = retry;
      hideProblem();
      if (again) again();
      else start();
    });
    changeButton.addEventListener("click", startCorrecting);
    $("cancel-correction").addEventListener("click", () => stopCorrecting(true));
    $("forget").addEventListener("click", () => openForget(true));
    $("forget-no").addEventListener("click", () => {
      confirmForget.hidden = true;
      $("forget").focus();
    });
    // After any turn still under way, so Rasa cannot write to the conversation once it is deleted.
    $("forget-yes").addEventListener("click", () => {
      queue = queue.then(forgetEverything);
    });
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      if (!confirmForget.hidden) {
        confirmForget.hidden = true;
        $("forget").focus();
      } else if (correctingNow) {
        stopCorrecting(true);
      }
    });
    if (window.ResizeObserver) new ResizeObserver(measureDock).observe(dock);
    window.addEventListener("resize", measureDock);
  }

  async function start() {
    hideProblem();
    if (!S) {
      try {
        S = await call("GET", "/api/strings");
      } catch (failure) {
        showProblem(null, () => start());
        return;
      }
    }
    await loadHistory();
    document.body.classList.add("ready");
  }

  if (window.matchMedia("(min-width: 40rem)").matches) $("display").open = true;
  applyDisplay();
  wire();
  start();
})();
