// The extraction form: a saved page opened from disk is read into the text box, decoded as its own
// charset says (a <meta charset> or http-equiv in its first bytes, else UTF-8), as the server would read
// its bytes. Without this script the form takes pasted text only, and the file chooser stays hidden.
(function () {
  "use strict";
  var input = document.getElementById("page-file");
  var box = document.querySelector("#extract-form textarea");
  var problem = document.getElementById("page-file-problem");
  if (!input || !box || typeof TextDecoder === "undefined") return;
  input.closest("label").hidden = false;

  function say(message) {
    problem.textContent = message;
    problem.hidden = !message;
  }
  function charset(bytes) {
    var head = new TextDecoder("latin1").decode(bytes.subarray(0, 2048));
    var found = /<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)/i.exec(head);
    return found ? found[1] : "utf-8";
  }
  function decode(bytes) {
    try {
      return new TextDecoder(charset(bytes)).decode(bytes);
    } catch (e) {  // a charset the browser does not know
      return new TextDecoder("utf-8").decode(bytes);
    }
  }
  input.addEventListener("change", function () {
    var file = input.files[0];
    say("");
    if (!file) return;
    var max = Number(input.getAttribute("data-max-bytes"));
    var reader = new FileReader();
    reader.onload = function () {
      var text = decode(new Uint8Array(reader.result));
      // the form sends the text URL-encoded: that, not the file, must fit under the server's limit
      if (encodeURIComponent(text).length > max) {
        say(file.name + ": too large to send from this form (over " + Math.floor(max / 1048576) +
            " MiB as sent); `sayso extract` reads it.");
        return;
      }
      box.value = text;
    };
    reader.onerror = function () { say(file.name + ": could not be read (" + reader.error.name + ")."); };
    reader.readAsArrayBuffer(file);
  });
})();
