// The learning page of an online session: a heartbeat every 30 s while the page is visible
// (the server stamps the time and decides what counts), the presence confirmation when the
// server asks for one, and the minutes credited so far.
(function () {
  "use strict";
  var root = document.getElementById("learn");
  if (!root) return;
  var session = root.getAttribute("data-session");
  var csrf = root.getAttribute("data-csrf");
  var credited = document.getElementById("credited");
  var status = document.getElementById("learn-status");
  var presence = document.getElementById("presence");
  var answer = document.getElementById("presence-answer");
  var pageId = (window.crypto && crypto.randomUUID) ? crypto.randomUUID()
    : String(Date.now()) + "-" + String(Math.random()).slice(2);
  var openCheck = null;

  function post(path, body) {
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: body ? JSON.stringify(body) : null
    }).then(function (response) {
      return response.json().then(function (json) { return { ok: response.ok, json: json }; });
    });
  }

  function show(state) {
    credited.textContent = String(state.credited_minutes);
    if (state.presence_check) {
      openCheck = state.presence_check.id;
      presence.hidden = false;
    } else {
      openCheck = null;
      presence.hidden = true;
    }
  }

  function beat() {
    var visible = document.visibilityState === "visible";
    post("/api/v1/sessions/" + session + "/heartbeats", { page_id: pageId, visible: visible })
      .then(function (answer) {
        if (answer.ok) {
          show(answer.json);
          status.textContent = visible ? "在线计时中（每 30 秒记录一次）" : "页面不可见，暂停计时";
        } else {
          status.textContent = (answer.json.error && answer.json.error.message) || "未能记录学习时长";
        }
      })
      .catch(function () { status.textContent = "网络中断，恢复后自动继续计时"; });
  }

  answer.addEventListener("click", function () {
    if (openCheck === null) return;
    post("/api/v1/presence-checks/" + openCheck + "/answer").then(function (reply) {
      presence.hidden = true;
      openCheck = null;
      status.textContent = (reply.json && (reply.json.message ||
        (reply.json.error && reply.json.error.message))) || "";
    });
  });

  // Only while visible: a hidden page sends one last beat saying so, then waits.
  document.addEventListener("visibilitychange", beat);
  setInterval(function () {
    if (document.visibilityState === "visible") beat();
  }, 30000);
  beat();
})();
