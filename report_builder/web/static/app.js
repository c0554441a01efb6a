// The page's only script, served from the package (no CDN: the machines it runs on are often offline).
// A form with data-target is sent with fetch and the server's HTML replaces the target's content;
// an element with data-poll is fetched again until the server sends it without data-poll (a finished job).
"use strict";

async function send(form, submitter) {
  const target = document.querySelector((submitter && submitter.dataset.target) || form.dataset.target);
  const url = (submitter && submitter.getAttribute("formaction")) || form.getAttribute("action");
  if (form.id === "audit") copyChoice(form);
  if (form.getAttribute("action") === "/use-folder") document.querySelector("#drop .chosen").textContent = "";
  target.innerHTML = '<p class="busy"><span class="spinner"></span>正在处理……</p>';
  try {
    const response = await fetch(url, { method: "POST", body: new FormData(form) });
    target.innerHTML = await response.text();
  } catch (error) {
    target.innerHTML = '<div class="message" role="alert"><p>无法连接本机的报告服务：它可能已经停止。</p></div>';
  }
  watch(target);
}

function copyChoice(form) {
  const choose = document.getElementById("choose");
  for (const name of ["period", "region"]) {
    form.elements[name].value = choose ? choose.elements[name].value : "";
  }
}

function watch(root) {
  for (const element of root.querySelectorAll("[data-poll]")) setTimeout(() => poll(element), 700);
}

async function poll(element) {
  const response = await fetch(element.dataset.poll);
  const holder = document.createElement("div");
  holder.innerHTML = await response.text();
  const fresh = holder.firstElementChild;
  element.replaceWith(fresh);
  if (fresh.dataset.poll) setTimeout(() => poll(fresh), 700);
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.dataset.target) return;
  event.preventDefault();
  send(form, event.submitter);
});

document.addEventListener("DOMContentLoaded", () => {
  const upload = document.getElementById("upload");
  const drop = document.getElementById("drop");
  const input = upload.elements.files;
  input.addEventListener("change", () => input.files.length && upload.requestSubmit());
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    input.files = event.dataTransfer.files;
    upload.requestSubmit();
  });
  for (const picker of document.querySelectorAll("input[type=file]")) {
    picker.addEventListener("change", () => {
      const names = Array.from(picker.files, (file) => file.name).join("、");
      picker.parentElement.querySelector(".chosen").textContent = names || "尚未选择";
    });
  }
  for (const tab of document.querySelectorAll(".tab")) {
    tab.addEventListener("click", () => {
      for (const other of document.querySelectorAll(".tab")) other.classList.toggle("active", other === tab);
      for (const panel of document.querySelectorAll(".panel")) panel.hidden = panel.id !== "tab-" + tab.dataset.tab;
    });
  }
  watch(document);
});
