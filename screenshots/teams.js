// Teams: each card rendered by the adaptivecards renderer with the Teams-like host config,
// inside a chat bubble; plain-text messages as Teams shows them.
"use strict";

const markdown = window.markdownit({ html: false, linkify: false, breaks: false });

AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = markdown.render(text);
  result.didProcess = true;
};

function plainMessage(text) {
  const lines = text.split(/\r?\n/);
  const bubble = document.createElement("div");
  bubble.className = "teams-plain";
  const shown = lines.slice(0, 12);
  bubble.textContent = shown.join("\n");
  if (lines.length > shown.length) {
    const more = document.createElement("div");
    more.className = "teams-cut";
    more.textContent = `(${lines.length - shown.length} more lines)`;
    bubble.appendChild(more);
  }
  return bubble;
}

window.showTeams = (messages, hostConfig) => {
  const shot = document.getElementById("shot");
  shot.className = "teams";
  shot.replaceChildren();
  const header = document.createElement("div");
  header.className = "teams-sender";
  header.textContent = "allybot";
  shot.appendChild(header);
  for (const message of messages) {
    if (message.plain !== undefined) {
      shot.appendChild(plainMessage(message.plain));
      continue;
    }
    const card = new AdaptiveCards.AdaptiveCard();
    card.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
    card.parse(message);
    const bubble = document.createElement("div");
    bubble.className = "teams-card";
    bubble.appendChild(card.render());
    shot.appendChild(bubble);
  }
};

// Opens the first Action.ShowCard whose title is given (a form behind its button), as a
// person would, so the form is in the picture too.
window.openShowCards = (titles) => {
  for (const button of document.querySelectorAll("button.ac-pushButton.expandable")) {
    if (titles.includes(button.textContent.trim())) {
      button.click();
      return;
    }
  }
};
