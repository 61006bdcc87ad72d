// Comfort settings: larger text, high contrast and read-aloud, kept in this browser across
// visits (not with the conversation: "delete my data" leaves them). With no choice saved, high
// contrast follows the system's prefers-contrast. Reading aloud uses the browser's own speech
// synthesis, on the device: no text is sent anywhere.
const SETTINGS_KEY = "als-trial-assistant-settings";
const RATES = ["0.75", "1", "1.25"];

function defaults() {
  const moreContrast = window.matchMedia?.("(prefers-contrast: more)").matches ?? false;
  return { largerText: false, highContrast: moreContrast, readAloud: false, rate: "1" };
}

function loadSettings() {
  const settings = defaults();
  try {
    const saved = JSON.parse(localStorage.getItem(SETTINGS_KEY) || "null");
    if (saved && typeof saved === "object") {
      for (const name of ["largerText", "highContrast", "readAloud"]) {
        if (typeof saved[name] === "boolean") settings[name] = saved[name];
      }
      if (RATES.includes(saved.rate)) settings.rate = saved.rate;
    }
  } catch (_) {
    /* unreadable: the defaults */
  }
  return settings;
}

const settings = loadSettings();

function saveSettings() {
  try {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
  } catch (_) {
    /* storage unavailable: the settings last for this visit */
  }
}

export function canSpeak() {
  return "speechSynthesis" in window && typeof window.SpeechSynthesisUtterance === "function";
}

// Reads a reply aloud when the person asked for it; a new reply stops the one before.
export function readAloud(text) {
  if (!settings.readAloud || !canSpeak() || !text) return;
  window.speechSynthesis.cancel();
  const utterance = new window.SpeechSynthesisUtterance(text);
  utterance.rate = Number(settings.rate);
  utterance.lang = document.documentElement.lang || "en";
  window.speechSynthesis.speak(utterance);
}

export function stopReading() {
  if (canSpeak()) window.speechSynthesis.cancel();
}

function show() {
  const root = document.documentElement;
  root.classList.toggle("larger-text", settings.largerText);
  root.classList.toggle("high-contrast", settings.highContrast);
  for (const [id, name] of [["larger-text", "largerText"], ["high-contrast", "highContrast"], ["read-aloud", "readAloud"]]) {
    document.getElementById(id)?.setAttribute("aria-pressed", String(settings[name]));
  }
  const stop = document.getElementById("stop-reading");
  if (stop) stop.hidden = !(settings.readAloud && canSpeak());
}

// Wires the settings panel's controls; the page looks as they say from the first paint on.
export function setUpComfort() {
  show();
  const toggle = (id, name, after) => {
    document.getElementById(id)?.addEventListener("click", () => {
      settings[name] = !settings[name];
      saveSettings();
      show();
      if (after) after();
    });
  };
  toggle("larger-text", "largerText");
  toggle("high-contrast", "highContrast");
  if (canSpeak()) {
    toggle("read-aloud", "readAloud", () => { if (!settings.readAloud) stopReading(); });
  } else {
    // No speech in this browser: no control that cannot work.
    for (const id of ["read-aloud", "reading-speed"]) document.getElementById(id)?.closest(".speed, .toggle")?.remove();
  }
  const speed = document.getElementById("reading-speed");
  if (speed) {
    speed.value = settings.rate;
    speed.addEventListener("change", () => {
      if (RATES.includes(speed.value)) settings.rate = speed.value;
      saveSettings();
    });
  }
  document.getElementById("stop-reading")?.addEventListener("click", stopReading);
}
