/* Listen-along: highlight what the narration is reading; "listen from here" per section.
   Progressive enhancement: without this script the page keeps its native <audio> player
   and is otherwise unchanged. Times come from #listen-data (milliseconds, measured at
   synthesis): [[begin, end, element id], ...], tiling the recording in reading order. */
(function () {
  "use strict";
  var data = document.getElementById("listen-data");
  var audio = document.getElementById("listen-audio");
  if (!data || !audio || !audio.canPlayType) {
    return;
  }
  var parsed = JSON.parse(data.textContent);
  var segments = parsed.segments;
  var words = parsed.words; // in the page's language, from the word catalogue
  var reduce = window.matchMedia("(prefers-reduced-motion: reduce)");
  var player = document.getElementById("listen");
  var current = null;
  var started = false;

  var follow = document.createElement("input");
  follow.type = "checkbox";
  follow.id = "listen-follow";
  follow.checked = !reduce.matches;
  var label = document.createElement("label");
  label.className = "listen-follow";
  label.htmlFor = follow.id;
  label.textContent = words.follow;
  var row = document.createElement("p");
  row.className = "listen-options";
  row.appendChild(follow);
  row.appendChild(label);
  player.appendChild(row);

  function segmentAt(ms) {
    var low = 0;
    var high = segments.length - 1;
    while (low <= high) {
      var mid = (low + high) >> 1;
      if (ms < segments[mid][0]) {
        high = mid - 1;
      } else if (ms >= segments[mid][1]) {
        low = mid + 1;
      } else {
        return segments[mid];
      }
    }
    return null;
  }

  function update() {
    if (!started) {
      return;
    }
    var found = segmentAt(audio.currentTime * 1000);
    var element = found ? document.getElementById(found[2]) : null;
    if (element === current) {
      return;
    }
    if (current) {
      current.classList.remove("listen-current");
    }
    current = element;
    if (element) {
      element.classList.add("listen-current");
      if (follow.checked) {
        element.scrollIntoView({ block: "center", behavior: reduce.matches ? "auto" : "smooth" });
      }
    }
  }

  function tick() {
    update();
    if (!audio.paused) {
      window.requestAnimationFrame(tick);
    }
  }

  function begin() {
    started = true;
    tick();
  }

  audio.addEventListener("play", begin);
  audio.addEventListener("seeked", begin);
  audio.addEventListener("timeupdate", update);

  var firsts = {};
  segments.forEach(function (segment) {
    if (!(segment[2] in firsts)) {
      firsts[segment[2]] = segment[0];
    }
  });
  Object.keys(firsts).forEach(function (id) {
    var heading = document.getElementById(id);
    if (!heading || !(/^H[1-6]$/.test(heading.tagName) || heading.getAttribute("role") === "heading")) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "listen-here";
    button.textContent = words.listenHere;
    if (words.lang) {
      button.lang = words.lang; // English words in a book without a word table
    }
    var title = heading.textContent.trim();
    // a function, so "$&" in a heading is not a replacement pattern
    button.setAttribute("aria-label", words.listenHereTo.replace("{heading}", function () {
      return title;
    }));
    button.setAttribute("data-begin", String(firsts[id] / 1000));
    button.addEventListener("click", function () {
      audio.currentTime = firsts[id] / 1000;
      started = true;
      update();
      var playing = audio.play();
      if (playing && playing.catch) {
        playing.catch(function () {});
      }
    });
    heading.insertAdjacentElement("afterend", button);
  });
})();
