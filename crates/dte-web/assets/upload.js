// Chunked, resumable upload of a session's recording or learning material: reads the video's
// duration in the browser, starts the upload, sends the file in chunks with Content-Range, and
// after a lost connection asks how many bytes arrived and resumes from there. The server
// computes the SHA-256 while the bytes stream in.
(function () {
  "use strict";

  function json(response) {
    return response.json().then(function (body) {
      if (!response.ok) throw new Error((body.error && body.error.message) || ("HTTP " + response.status));
      return body;
    });
  }

  function duration(file) {
    return new Promise(function (resolve) {
      var video = document.createElement("video");
      video.preload = "metadata";
      video.onloadedmetadata = function () {
        URL.revokeObjectURL(video.src);
        resolve(isFinite(video.duration) ? Math.max(1, Math.round(video.duration)) : null);
      };
      video.onerror = function () { resolve(null); };
      video.src = URL.createObjectURL(file);
    });
  }

  function upload(form) {
    var file = form.querySelector("input[type=file]").files[0];
    if (!file) return;
    var csrf = form.getAttribute("data-csrf");
    var chunk = parseInt(form.getAttribute("data-chunk"), 10);
    var purpose = form.getAttribute("data-purpose");
    var progress = form.querySelector("progress");
    var status = form.querySelector(".upload-status");
    var title = form.querySelector("input[name=title]");
    var headers = { "X-CSRF-Token": csrf };
    progress.hidden = false;
    status.textContent = "正在读取视频时长…";

    function send(id, offset, retries) {
      if (offset >= file.size) return Promise.resolve();
      var end = Math.min(offset + chunk, file.size) - 1;
      return fetch("/api/v1/uploads/" + id, {
        method: "PUT",
        credentials: "same-origin",
        headers: Object.assign({ "Content-Range": "bytes " + offset + "-" + end + "/" + file.size,
          "Content-Type": "application/octet-stream" }, headers),
        body: file.slice(offset, end + 1)
      }).then(json).then(function (state) {
        progress.value = Math.floor(100 * state.received_bytes / file.size);
        status.textContent = "已上传 " + progress.value + "%";
        if (state.complete) {
          status.textContent = "上传完成，SHA-256：" + state.sha256;
          return;
        }
        return send(id, state.received_bytes, 5);
      }, function (error) {
        if (retries <= 0) throw error;
        status.textContent = "网络中断，正在续传…";
        return new Promise(function (resolve) { setTimeout(resolve, 2000); })
          .then(function () { return fetch("/api/v1/uploads/" + id, { credentials: "same-origin" }); })
          .then(json)
          .then(function (state) { return send(id, state.received_bytes, retries - 1); });
      });
    }

    duration(file).then(function (seconds) {
      if (purpose === "recording" && !seconds) {
        seconds = parseInt(window.prompt("无法读取录像时长，请输入时长（秒）") || "0", 10);
      }
      return fetch("/api/v1/sessions/" + form.getAttribute("data-session") + "/uploads", {
        method: "POST",
        credentials: "same-origin",
        headers: Object.assign({ "Content-Type": "application/json" }, headers),
        body: JSON.stringify({
          purpose: purpose,
          file_name: file.name,
          content_type: file.type || "video/mp4",
          size_bytes: file.size,
          duration_seconds: seconds || null,
          title: title ? title.value : null
        })
      });
    }).then(json).then(function (started) {
      return send(started.upload_id, started.received_bytes, 5);
    }).then(function () {
      window.location.reload();
    }).catch(function (error) {
      status.textContent = "上传未完成：" + error.message;
    });
  }

  document.querySelectorAll("form.chunked-upload").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      upload(form);
    });
  });
})();
