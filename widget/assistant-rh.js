/*
 * Assistant RH: the intranet chat widget (no build step, no dependency but the vendored socket.io client).
 *
 * Include socket.io.min.js, then this file with its settings as data attributes:
 *   <script src=".../widget/assistant-rh.js" data-socket-url="https://assistant.example" data-token-url="/jeton"
 *           data-feedback-url="https://assistant.example/feedback"
 *           data-notice-url="https://assistant.example/notice" data-conversation-days="30"
 *           data-booking-days="30"></script>
 * data-token-url answers {"token": "<JWT signed by the intranet>"} for the signed-in person (same origin,
 * with the session cookie). data-socket-path defaults to /socket.io.
 * HR's answers to the person's requests (« Ask HR ») come without their typing: when the chat connects, and
 * every data-answers-poll-seconds (45) while it stays connected, the widget asks data-answers-url how many wait
 * (a count, nothing else) and only when there are some sends the assistant a payload it does not show as a
 * message (/check_hr_answers); the assistant then shows them, in the tab that asked.
 *
 * Safety: everything the assistant or the person writes is shown with textContent; only http, https,
 * mailto and tel addresses become links. Accessibility (RGAA 4.1 / WCAG 2.1 AA): a labelled input,
 * replies in a role="log" live region, all by keyboard (Escape closes and gives focus back to the
 * launcher), no keyboard trap. History: sessionStorage (this tab only), cleared at sign-out.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var data = (script && script.dataset) || {};
  var config = {
    socketUrl: data.socketUrl || window.location.origin,
    socketPath: data.socketPath || "/socket.io",
    tokenUrl: data.tokenUrl || "/dev/token",
    feedbackUrl: data.feedbackUrl || "/feedback",
    noticeUrl: data.noticeUrl || "/notice",
    conversationDays: data.conversationDays || "30",
    bookingDays: data.bookingDays || "30",
    answersUrl: data.answersUrl || "/answers/waiting",
    answersPollSeconds: Math.max(1, Number(data.answersPollSeconds) || 45)
  };
  var STORAGE_KEY = "assistant-rh";
  var MAX_CHARS = 1000;
  var MAX_ENTRIES = 200;
  var ANSWERS_PAYLOAD = "/check_hr_answers";  // shows HR's answers not yet shown; never a bubble of the person
  var LINK = /(?:https?:\/\/|mailto:|tel:)[^\s<>"']+/gi;
  var SAFE_PROTOCOLS = ["http:", "https:", "mailto:", "tel:"];
  var TEXT = {
    launcher: "Assistant RH",
    title: "Assistant RH",
    close: "Fermer",
    closeLabel: "Fermer l'Assistant RH",
    noticeTitle: "Avant de commencer",
    notice: function () {
      return "L'Assistant RH répond à vos questions sur la vie au travail et prend vos rendez-vous. " +
        "Vos échanges sont conservés au plus " + config.conversationDays + " jours, puis effacés ; " +
        "vos rendez-vous, jusqu'à " + config.bookingDays + " jours après leur date. " +
        "N'écrivez pas d'informations sur votre santé. " +
        "L'historique affiché ici n'est gardé que dans cet onglet et s'efface à la déconnexion. " +
        "En cas d'urgence : 15, 112, ou 3114 (prévention du suicide).";
    },
    accept: "J'ai compris, commencer",
    log: "Conversation avec l'Assistant RH",
    label: "Votre message",
    hint: "Entrée pour envoyer, Maj + Entrée pour aller à la ligne (" + MAX_CHARS + " caractères au plus).",
    send: "Envoyer",
    you: "Vous : ",
    assistant: "Assistant RH : ",
    info: "Information : ",
    replies: "Réponses proposées",
    feedbackQuestion: "Cette réponse vous est-elle utile ?",
    useful: "Utile",
    notUseful: "Pas utile",
    thanks: "Merci pour votre avis.",
    feedbackFailed: "Votre avis n'a pas pu être enregistré.",
    typing: "L'Assistant RH écrit…",
    connecting: "Connexion à l'Assistant RH…",
    reconnecting: "Connexion perdue, nouvelle tentative en cours…",
    reconnected: "Connexion rétablie.",
    unreachable: "L'Assistant RH est injoignable pour le moment, nouvelle tentative en cours…",
    signedOut: "Connectez-vous à l'intranet pour discuter avec l'Assistant RH.",
    newWindow: " (nouvelle fenêtre)"
  };

  // -- state ------------------------------------------------------------------------------------
  var state = load();
  var token = null;
  var socket = null;
  var ui = null;
  var turn = [];          // the bot messages of the current answer
  var pending = null;     // the message being answered
  var resend = null;      // a message refused because the session had expired: sent again once, reconnected
  var typingTimer = null;
  var busy = false;       // the assistant is answering
  var message = "";       // the status line's message, if any
  var bubbles = new Map(); // entry -> its element in the log
  var answersTimer = null; // asks whether HR answered, while connected
  var checking = false;   // a question to the answers endpoint is on its way

  function load() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || "null");
      if (saved && Array.isArray(saved.entries)) { return saved; }
    } catch (error) { /* unreadable: start again */ }
    return { subject: null, accepted: false, entries: [] };
  }

  function save() {
    state.entries = state.entries.slice(-MAX_ENTRIES);
    try { window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state)); } catch (error) { /* full: keep going */ }
  }

  // -- safe rendering -----------------------------------------------------------------------------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function safeHref(candidate) {
    try {
      var url = new URL(candidate);
      return SAFE_PROTOCOLS.indexOf(url.protocol) >= 0 ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function appendLine(parent, line) {
    var last = 0;
    line.replace(LINK, function (match, offset) {
      var address = match.replace(/[.,;:!?»)\]]+$/, "");
      var href = safeHref(address);
      if (!href) { return match; }
      parent.appendChild(document.createTextNode(line.slice(last, offset)));
      var link = el("a", "arh-link", address);
      link.href = href;
      if (/^https?:/.test(href)) {
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        link.appendChild(el("span", "arh-sr", TEXT.newWindow));
      }
      parent.appendChild(link);
      last = offset + address.length;
      return match;
    });
    parent.appendChild(document.createTextNode(line.slice(last)));
  }

  /** Text as paragraphs (blank lines) and lines (new lines), with only safe addresses as links. */
  function renderText(text) {
    var fragment = document.createDocumentFragment();
    String(text || "").split(/\n\s*\n/).forEach(function (paragraph) {
      var p = el("p");
      paragraph.split("\n").forEach(function (line, index) {
        if (index > 0) { p.appendChild(document.createElement("br")); }
        appendLine(p, line);
      });
      fragment.appendChild(p);
    });
    return fragment;
  }

  // -- the interface -----------------------------------------------------------------------------
  function build() {
    var root = el("div", "arh");
    root.lang = "fr";
    var launcher = el("button", "arh-launcher", TEXT.launcher);
    launcher.type = "button";
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", "arh-panel");

    var panel = el("section", "arh-panel");
    panel.id = "arh-panel";
    panel.hidden = true;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "false");
    panel.setAttribute("aria-labelledby", "arh-title");

    var header = el("div", "arh-header");
    var title = el("h2", "arh-title", TEXT.title);
    title.id = "arh-title";
    var close = el("button", "arh-close", TEXT.close);
    close.type = "button";
    close.setAttribute("aria-label", TEXT.closeLabel);
    header.appendChild(title);
    header.appendChild(close);

    var notice = el("div", "arh-notice");
    notice.appendChild(el("p", "arh-notice-title", TEXT.noticeTitle));
    var noticeText = el("p", "arh-notice-text", TEXT.notice());
    notice.appendChild(noticeText);
    var accept = el("button", "arh-accept", TEXT.accept);
    accept.type = "button";
    notice.appendChild(accept);

    var log = el("div", "arh-log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-label", TEXT.log);
    log.tabIndex = 0;  // scrollable: reachable by keyboard

    var status = el("p", "arh-status");
    status.setAttribute("role", "status");

    var form = el("form", "arh-form");
    var label = el("label", "arh-label", TEXT.label);
    label.htmlFor = "arh-input";
    var input = el("textarea", "arh-input");
    input.id = "arh-input";
    input.rows = 2;
    input.maxLength = MAX_CHARS;
    input.setAttribute("aria-describedby", "arh-hint");
    var hint = el("p", "arh-hint", TEXT.hint);
    hint.id = "arh-hint";
    var send = el("button", "arh-send", TEXT.send);
    send.type = "submit";
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(hint);
    form.appendChild(send);

    panel.appendChild(header);
    panel.appendChild(notice);
    panel.appendChild(log);
    panel.appendChild(status);
    panel.appendChild(form);
    root.appendChild(panel);
    root.appendChild(launcher);
    document.body.appendChild(root);

    launcher.addEventListener("click", function () { return panel.hidden ? open() : close_(); });
    close.addEventListener("click", close_);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); close_(); }
    });
    accept.addEventListener("click", function () {
      state.accepted = true;
      save();
      showNotice();
      input.focus();
      checkAnswers();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit();
      }
    });
    // HR's own notice (the content base's privacy article) when the server has one; else the text above.
    fetch(config.noticeUrl, { cache: "no-store" }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (body) {
      if (body && body.text) { noticeText.textContent = body.text; }
    }).catch(function () { /* keep the built-in notice */ });
    return { root: root, launcher: launcher, panel: panel, notice: notice, accept: accept, log: log,
             status: status, form: form, input: input };
  }

  function showNotice() {
    ui.notice.hidden = state.accepted;
    ui.form.hidden = !state.accepted;
  }

  /** The status line: what the person must know (connection, a problem) before « l'Assistant RH écrit… ». */
  function setStatus(text) {
    message = text || "";
    ui.status.textContent = message || (busy ? TEXT.typing : "");
  }

  function open() {
    ui.panel.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "true");
    showNotice();
    (state.accepted ? ui.input : ui.accept).focus();
    ui.log.scrollTop = ui.log.scrollHeight;
    connect();
  }

  function close_() {
    ui.panel.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.launcher.focus();
  }

  // -- the conversation ----------------------------------------------------------------------------
  function addEntry(entry) {
    state.entries.push(entry);
    save();
    return renderEntry(entry);
  }

  function renderEntry(entry) {
    var from = entry.from;
    var bubble = el("div", "arh-msg arh-" + from);
    bubble.appendChild(el("span", "arh-sr", from === "user" ? TEXT.you : from === "bot" ? TEXT.assistant : TEXT.info));
    var body = el("div", "arh-text");
    body.appendChild(renderText(entry.text));
    bubble.appendChild(body);
    if (entry.replies && entry.replies.length && !entry.used) {
      var group = el("div", "arh-replies");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", TEXT.replies);
      entry.replies.forEach(function (reply) {
        var button = el("button", "arh-reply", reply.title);
        button.type = "button";
        button.addEventListener("click", function () { sendMessage(reply.payload, reply.title); });
        group.appendChild(button);
      });
      bubble.appendChild(group);
    }
    if (entry.feedback === "asked") { bubble.appendChild(feedbackGroup(entry)); }
    if (entry.feedback === "given") { bubble.appendChild(el("p", "arh-thanks", TEXT.thanks)); }
    bubbles.set(entry, bubble);
    ui.log.appendChild(bubble);
    ui.log.scrollTop = ui.log.scrollHeight;
    return bubble;
  }

  function rerender() {
    ui.log.replaceChildren();
    bubbles = new Map();
    state.entries.forEach(renderEntry);
  }

  function feedbackGroup(entry) {
    var group = el("div", "arh-feedback");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", TEXT.feedbackQuestion);
    group.appendChild(el("span", "arh-feedback-question", TEXT.feedbackQuestion));
    [[TEXT.useful, true], [TEXT.notUseful, false]].forEach(function (choice) {
      var button = el("button", "arh-vote", choice[0]);
      button.type = "button";
      button.addEventListener("click", function () { giveFeedback(entry, group, choice[1]); });
      group.appendChild(button);
    });
    return group;
  }

  function giveFeedback(entry, group, useful) {
    group.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
    withToken().then(function (current) {
      return fetch(config.feedbackUrl, {
        method: "POST",
        credentials: "omit",
        headers: { "Content-Type": "application/json", "Authorization": "Bearer " + current },
        body: JSON.stringify({ kind: entry.kind, useful: useful })
      });
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      entry.feedback = "given";
      save();
      var thanks = el("p", "arh-thanks", TEXT.thanks);
      group.replaceWith(thanks);
      ui.input.focus();
    }).catch(function () {
      setStatus(TEXT.feedbackFailed);
      group.querySelectorAll("button").forEach(function (button) { button.disabled = false; });
    });
  }

  function retireReplies() {
    var changed = false;
    state.entries.forEach(function (entry) {
      if (entry.replies && entry.replies.length && !entry.used) { entry.used = true; changed = true; }
    });
    if (changed) {
      ui.log.querySelectorAll(".arh-replies").forEach(function (group) { group.remove(); });
    }
  }

  function submit() {
    var text = ui.input.value.trim();
    if (!text) { setStatus("Écrivez votre message avant de l'envoyer."); return; }
    ui.input.value = "";
    sendMessage(text, text);
  }

  function sendMessage(message, shown) {
    retireReplies();
    addEntry({ from: "user", text: shown });
    turn = [];
    pending = message;
    typing(true);
    connect().then(function () {
      socket.emit("user_uttered", { message: message });
    });
    ui.input.focus();
  }

  /** HR's answers waiting for this person: the web server gives their number only; when there are some, the
   *  assistant is asked to show them, by a payload that is not shown as the person's message. Not before the
   *  notice is accepted, nor while the assistant is answering. */
  function checkAnswers() {
    if (checking || busy || !state.accepted || !socket || !socket.connected) { return; }
    checking = true;
    withToken().then(function (current) {
      return fetch(config.answersUrl, {
        credentials: "omit",
        cache: "no-store",
        headers: { "Authorization": "Bearer " + current }
      });
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (body) {
      if (body && body.waiting > 0 && !busy && socket && socket.connected) {
        turn = [];
        pending = ANSWERS_PAYLOAD;  // an expired session sends it again once reconnected, like a message
        typing(true);
        socket.emit("user_uttered", { message: ANSWERS_PAYLOAD });
      }
    }).catch(function () { /* unreachable or signed out: asked again later */ }).then(function () {
      checking = false;
    });
  }

  function typing(on) {
    window.clearTimeout(typingTimer);
    busy = on;
    if (on) {
      ui.log.setAttribute("aria-busy", "true");
      typingTimer = window.setTimeout(function () { typing(false); }, 60000);
    } else {
      ui.log.removeAttribute("aria-busy");
    }
    setStatus(on ? "" : message);
  }

  function onBotMessage(message) {
    var entry = { from: "bot", text: message.text || "", kind: message.kind || null,
                  replies: (message.quick_replies || []).map(function (reply) {
                    return { title: String(reply.title), payload: String(reply.payload) };
                  }) };
    addEntry(entry);
    turn.push(entry);
    pending = null;
  }

  /** An answer, not one of a form's questions (Rasa's action_ask_<slot>) or its validation messages. */
  function wantsFeedback(kind) {
    return Boolean(kind) && !/^(action_ask_|validate_)/.test(kind);
  }

  function onTurnDone() {
    typing(false);
    pending = null;  // answered (a hidden check may have had nothing to show)
    var answers = turn.filter(function (entry) { return wantsFeedback(entry.kind); });
    var last = answers[answers.length - 1];  // the answer of this turn (a form may ask its question after it)
    turn = [];
    if (last && !last.feedback && bubbles.has(last)) {
      last.feedback = "asked";
      save();
      bubbles.get(last).appendChild(feedbackGroup(last));
    }
  }

  function onRefused(refusal) {
    typing(false);
    if (refusal && refusal.code === "expired" && pending) {
      token = null;  // the assistant disconnects this socket; the new one sends the message again, once
      resend = pending;
      pending = null;
      return;
    }
    addEntry({ from: "info", text: (refusal && refusal.message) || TEXT.unreachable });
  }

  // -- connection --------------------------------------------------------------------------------
  function claims(jwt) {
    try {
      var part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      var bytes = Uint8Array.from(window.atob(part), function (c) { return c.charCodeAt(0); });
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      return {};
    }
  }

  function fetchToken() {
    return fetch(config.tokenUrl, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (!response.ok) { throw new Error("signed-out"); }
      return response.json();
    }).then(function (body) {
      token = body.token;
      var subject = claims(token).sub || null;
      if (state.subject && subject !== state.subject) {  // someone else signed in in this tab
        state = { subject: subject, accepted: false, entries: [] };
        rerender();
        showNotice();
      }
      state.subject = subject;
      save();
      return token;
    });
  }

  function withToken() {
    var expires = token ? (claims(token).exp || 0) * 1000 : 0;
    return expires - Date.now() > 30000 ? Promise.resolve(token) : fetchToken();
  }

  function connect() {
    if (socket && socket.connected) { return Promise.resolve(); }
    return withToken().then(function () {
      if (!socket) { socket = createSocket(); }
      if (!socket.connected && !socket.active) {
        setStatus(TEXT.connecting);
        socket.connect();
      }
      return new Promise(function (resolve) {
        if (socket.connected) { resolve(); } else { socket.once("connect", resolve); }
      });
    }, function () {
      typing(false);
      setStatus(TEXT.signedOut);
      return new Promise(function () {});  // signed out: nothing is sent
    });
  }

  function createSocket() {
    /* global io */
    var created = io(config.socketUrl, {
      path: config.socketPath,
      autoConnect: false,
      reconnectionDelayMax: 10000,
      auth: function (callback) {
        withToken().then(function (current) { callback({ token: current }); },
                         function () { callback({}); });
      }
    });
    var wasConnected = false;
    created.on("connect", function () {
      setStatus(wasConnected ? TEXT.reconnected : "");
      wasConnected = true;
      created.emit("session_request", {});
      if (!answersTimer) { answersTimer = window.setInterval(checkAnswers, config.answersPollSeconds * 1000); }
      checkAnswers();
    });
    created.on("connect_error", function (error) {
      if (error && error.data && error.data.code) {  // refused by the assistant: say why, in its words
        if (error.data.code === "expired") { token = null; }
        setStatus(error.message);
        typing(false);
        addEntry({ from: "info", text: error.message });
      } else {
        setStatus(TEXT.unreachable);
      }
    });
    created.on("disconnect", function (reason) {
      if (reason === "io server disconnect") {  // the assistant ended the session (expired): start a new one
        token = null;
        connect().then(function () {
          if (resend) { socket.emit("user_uttered", { message: resend }); typing(true); pending = resend; }
          resend = null;
        });
        return;
      }
      setStatus(TEXT.reconnecting);
    });
    created.on("bot_uttered", onBotMessage);
    created.on("turn_done", onTurnDone);
    created.on("refused", onRefused);
    return created;
  }

  // -- public API ----------------------------------------------------------------------------------
  function signOut() {
    window.clearInterval(answersTimer);
    answersTimer = null;
    if (socket) { socket.disconnect(); socket = null; }
    token = null;
    state = { subject: null, accepted: false, entries: [] };
    try { window.sessionStorage.removeItem(STORAGE_KEY); } catch (error) { /* nothing kept anyway */ }
    rerender();
    showNotice();
    setStatus("");
    if (!ui.panel.hidden) { close_(); }
  }

  function mount() {
    ui = build();
    rerender();
    showNotice();
  }

  window.AssistantRH = { signOut: signOut, open: open, close: close_, renderText: renderText };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
}());
