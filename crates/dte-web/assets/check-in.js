// The trainee's check-in page (/check-in/{session}): reads the phone's location with its
// accuracy, sends it with the classroom code, a device id kept by this browser and an
// idempotency key, and says plainly whether the check-in counted. Made for a weak network: a
// lost answer is retried with the same key, so it can never count twice.
(function () {
  "use strict";
  var root = document.getElementById("check-in");
  var form = document.getElementById("check-form");
  if (!root || !form) return;
  var session = root.getAttribute("data-session");
  var csrf = root.getAttribute("data-csrf");
  var result = document.getElementById("check-result");
  var locationLine = document.getElementById("location");
  var buttons = form.querySelectorAll("button");

  function randomHex(bytes) {
    var values = new Uint8Array(bytes);
    window.crypto.getRandomValues(values);
    return Array.prototype.map.call(values, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  // One id per browser, kept across visits: the risk flags look for one device checking in
  // several trainees.
  function deviceId() {
    var id = null;
    try { id = window.localStorage.getItem("dte-device-id"); } catch (e) { id = null; }
    if (!id) {
      id = "web-" + randomHex(16);
      try { window.localStorage.setItem("dte-device-id", id); } catch (e) { /* private mode */ }
    }
    return id;
  }

  // The key of the attempt in flight for this session and kind: kept until an answer comes,
  // so a retry after a lost answer is the same attempt.
  function attemptKey(kind) {
    var name = "dte-attempt-" + session + "-" + kind;
    var key = null;
    try { key = window.sessionStorage.getItem(name); } catch (e) { key = null; }
    if (!key) {
      key = randomHex(16);
      try { window.sessionStorage.setItem(name, key); } catch (e) { /* private mode */ }
    }
    return key;
  }

  function forgetAttempt(kind) {
    try { window.sessionStorage.removeItem("dte-attempt-" + session + "-" + kind); } catch (e) { /* nothing kept */ }
  }

  function show(state, title, lines) {
    result.hidden = false;
    result.className = "check-result " + state;
    result.textContent = "";
    var heading = document.createElement("strong");
    heading.textContent = title;
    result.appendChild(heading);
    lines.forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      result.appendChild(p);
    });
  }

  function busy(on) {
    Array.prototype.forEach.call(buttons, function (button) { button.disabled = on; });
  }

  function position() {
    return new Promise(function (resolve, reject) {
      if (!navigator.geolocation) {
        reject(new Error("此浏览器不能读取定位，请换用手机自带浏览器或微信打开"));
        return;
      }
      navigator.geolocation.getCurrentPosition(resolve, function (error) {
        var messages = {
          1: "您没有允许读取定位。请在浏览器设置中允许本网站使用位置信息后重试",
          2: "暂时无法取得定位，请打开手机定位（GPS）后重试",
          3: "定位超时，请到窗边或室外开阔处重试"
        };
        reject(new Error(messages[error.code] || "无法取得定位，请重试"));
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 });
    });
  }

  function post(body, attemptsLeft) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, 15000) : null;
    return fetch("/api/v1/sessions/" + session + "/check-ins", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body),
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (timer) clearTimeout(timer);
      return response.json().then(function (json) { return { status: response.status, json: json }; });
    }, function (error) {
      if (timer) clearTimeout(timer);
      if (attemptsLeft > 0) {
        show("pending", "网络不稳定，正在重试……", ["本次签到不会重复计入。"]);
        return new Promise(function (resolve) { setTimeout(resolve, 2000); })
          .then(function () { return post(body, attemptsLeft - 1); });
      }
      throw error;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var kind = event.submitter && event.submitter.value === "out" ? "out" : "in";
    var label = kind === "out" ? "签退" : "签到";
    var code = document.getElementById("code").value.replace(/\D/g, "");
    if (code.length !== 6) {
      show("refused", label + "未成功", ["请输入教室屏幕上显示的 6 位签到码"]);
      return;
    }
    busy(true);
    show("pending", "正在定位……", ["请稍候，不要关闭本页"]);
    position().then(function (fix) {
      var accuracy = Math.round(fix.coords.accuracy);
      locationLine.textContent = "已取得定位，误差约 " + accuracy + " 米";
      show("pending", "正在提交" + label + "……", []);
      return post({
        kind: kind,
        lat: fix.coords.latitude,
        lon: fix.coords.longitude,
        accuracy_m: fix.coords.accuracy,
        code: code,
        device_id: deviceId(),
        idempotency_key: attemptKey(kind)
      }, 3);
    }).then(function (answer) {
      busy(false);
      if (answer.status === 200 && answer.json.counted) {
        forgetAttempt(kind);
        show("counted", "✓ " + label + "成功，已计入考勤", [answer.json.message]);
        return;
      }
      var error = answer.json.error || {};
      var reasons = (error.violations && error.violations.length)
        ? error.violations.map(function (v) { return v.message; })
        : [error.message || "请重试"];
      if (answer.status === 422) forgetAttempt(kind);
      show("refused", "✗ " + label + "未计入", reasons);
    }).catch(function (error) {
      busy(false);
      show("refused", "✗ " + label + "未完成", [error.message || "网络异常，请重试", "重试不会重复计入。"]);
    });
  });
})();
