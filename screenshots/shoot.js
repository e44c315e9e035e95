// Renders each surface in out/surfaces.json (written by generate.py) in headless Chromium
// and writes out/teams-<name>.png and out/slack-<name>.png. Usage: node shoot.js
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const here = __dirname;
const out = path.join(here, "out");
const hostConfig = JSON.parse(fs.readFileSync(path.join(here, "teams-host-config.json"), "utf8"));
const surfaces = JSON.parse(fs.readFileSync(path.join(out, "surfaces.json"), "utf8"));
// Forms open behind these buttons in the pictures, so the form is there to look at too.
const OPEN = ["Register with access needs", "Create session", "Schedule an announcement", "Propose a topic"];

async function shoot(page, name) {
  const file = path.join(out, `${name}.png`);
  await page.locator("#shot").screenshot({ path: file });
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 760, height: 600 }, deviceScaleFactor: 1 });
    const problems = [];
    page.on("pageerror", (error) => problems.push(String(error)));
    await page.goto("file://" + path.join(here, "page.html"));
    for (const surface of surfaces) {
      if (surface.teams.length) {
        await page.evaluate(([cards, config]) => window.showTeams(cards, config), [surface.teams, hostConfig]);
        await page.evaluate((titles) => window.openShowCards(titles), OPEN);
        await shoot(page, `teams-${surface.name}`);
      }
      if (surface.slack.length) {
        await page.evaluate((messages) => window.showSlack(messages), surface.slack);
        await shoot(page, `slack-${surface.name}`);
      }
    }
    if (problems.length) {
      console.error(problems.join("\n"));
      process.exitCode = 1;
    }
  } finally {
    await browser.close();
  }
})();
