// Slack: an approximation of how Slack lays out Block Kit (header, section text with the
// mrkdwn basics, fields in two columns, buttons, context, dividers), for looking at.
"use strict";

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// Slack sends text with &amp; &lt; &gt; already escaped; mrkdwn then adds *bold*,
// _italic_, ~strike~, `code`, <url|label> and line breaks.
function mrkdwn(text) {
  let html = text.replace(/<(https?:[^|>]+)\|([^>]+)>/g, (_, url, label) => `\u0001a href="${url}"\u0002${label}\u0001/a\u0002`);
  html = html.replace(/<(https?:[^>]+)>/g, (_, url) => `\u0001a href="${url}"\u0002${url}\u0001/a\u0002`);
  html = html.replace(/<@([A-Z0-9]+)>/g, (_, id) => `\u0001span class="mention"\u0002@${id}\u0001/span\u0002`);
  html = html.replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/&amp;lt;/g, "&lt;").replace(/&amp;gt;/g, "&gt;");
  html = html.replace(/\u0001/g, "<").replace(/\u0002/g, ">");
  html = html.replace(/`([^`\n]+)`/g, "<code>$1</code>");
  html = html.replace(/(^|[\s(])\*([^*\n]+)\*(?=[\s).,:;!?]|$)/g, "$1<b>$2</b>");
  html = html.replace(/(^|[\s(])_([^_\n]+)_(?=[\s).,:;!?]|$)/g, "$1<i>$2</i>");
  html = html.replace(/(^|[\s(])~([^~\n]+)~(?=[\s).,:;!?]|$)/g, "$1<s>$2</s>");
  return html.replace(/\n/g, "<br>");
}

function textHtml(text) {
  if (!text) return "";
  return text.type === "mrkdwn" ? mrkdwn(text.text) : escapeHtml(text.text).replace(/\n/g, "<br>");
}

function element(tag, className, html) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (html !== undefined) node.innerHTML = html;
  return node;
}

function button(item) {
  const node = element("span", `slack-button ${item.style || ""}`, textHtml(item.text));
  return node;
}

function block(item) {
  switch (item.type) {
    case "header":
      return element("div", "slack-header", textHtml(item.text));
    case "divider":
      return element("hr", "slack-divider");
    case "context": {
      const node = element("div", "slack-context");
      for (const part of item.elements) node.appendChild(element("span", "", textHtml(part)));
      return node;
    }
    case "actions": {
      const node = element("div", "slack-actions");
      for (const part of item.elements) node.appendChild(button(part));
      return node;
    }
    case "section": {
      const node = element("div", "slack-section");
      const main = element("div", "slack-section-main");
      if (item.text) main.appendChild(element("div", "slack-text", textHtml(item.text)));
      if (item.fields) {
        const fields = element("div", "slack-fields");
        for (const field of item.fields) fields.appendChild(element("div", "slack-field", textHtml(field)));
        main.appendChild(fields);
      }
      node.appendChild(main);
      if (item.accessory && item.accessory.type === "button") node.appendChild(button(item.accessory));
      return node;
    }
    case "input": {
      // What the field shows when the modal opens: its value, else its placeholder (grey).
      const node = element("div", "slack-input");
      const optional = item.optional ? ' <span class="slack-optional">(optional)</span>' : "";
      node.appendChild(element("label", "", textHtml(item.label) + optional));
      const field = item.element || {};
      const picked = field.initial_option || (field.initial_options || [])[0];
      const value = picked ? escapeHtml(picked.text.text)
        : field.initial_value ? escapeHtml(field.initial_value)
        : field.initial_date ? escapeHtml(field.initial_date) : "";
      const hint = value ? "" : field.placeholder ? textHtml(field.placeholder)
        : field.type === "datepicker" ? "Select a date" : "";
      const box = element("div", `slack-input-box ${field.multiline ? "multiline" : ""}`,
        value || `<span class="slack-placeholder">${hint}</span>`);
      if (/select/.test(field.type || "")) box.classList.add("select");
      node.appendChild(box);
      return node;
    }
    default:
      return element("pre", "slack-unknown", escapeHtml(JSON.stringify(item)));
  }
}

window.showSlack = (messages) => {
  const shot = document.getElementById("shot");
  shot.className = "slack";
  shot.replaceChildren();
  const row = element("div", "slack-message");
  row.appendChild(element("div", "slack-avatar", "a"));
  const content = element("div", "slack-content");
  content.appendChild(element("div", "slack-sender", "allybot <span class=\"slack-app\">APP</span>"));
  for (const blocks of messages) {
    const message = element("div", "slack-blocks");
    for (const item of blocks) message.appendChild(block(item));
    content.appendChild(message);
  }
  row.appendChild(content);
  shot.appendChild(row);
};
