// Reads a JSON array of Adaptive Cards on stdin and prints, for each, the problems that
// Microsoft's adaptivecards renderer finds when it parses the card (unknown element or
// action types, invalid property values, a version it does not know) and when it
// validates it (duplicate input ids, too many actions, inputs without labels...).
"use strict";
const AC = require("adaptivecards/dist/adaptivecards.js");

function problems(json) {
  const found = [];
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    found.push(`parse: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  for (const event of card.validateProperties().validationEvents) {
    found.push(`validate: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  return found;
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const cards = JSON.parse(input);
  process.stdout.write(JSON.stringify(cards.map(problems)));
});
