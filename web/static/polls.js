// The polls panel: the open polls of the viewer's area (signed out: the city's, read-only), voting, and
// results as bars that move live (pollUpdated) while the counts are visible to the viewer.
import { ApiError, gql } from "./api.js";
import { errorText } from "./errors.js";
import { formatPercent, formatTime, t } from "./i18n.js";
import { Panel } from "./panel.js";
import { ancestors } from "./session.js";
import { h } from "./views.js";

const POLL = `fragment P on Poll { id question status opensAt closesAt resultsBeforeClose totalVotes viewerCanVote
  createdAt area { id name } author { handle displayName } viewerVote { id } options { id label votes share }
  turnout { votes newAccounts residents area { id name } } }`;
const PAGE = "edges { node { ...P } }";
// Signed out, or a viewer without a home area (an admin, an agency head): the city's open polls.
const CITY = `query { polls(status: OPEN, first: 20) { ${PAGE} } } ${POLL}`;
// Polls inside the viewer's area, and the city's open polls, of which those of the viewer's ancestors
// (their kelurahan, kecamatan, city) and those for everyone (no area) also concern them.
const AROUND = `query($area: ID!) { here: polls(areaId: $area, status: OPEN, first: 20) { ${PAGE} }
  around: polls(status: OPEN, first: 50) { ${PAGE} } } ${POLL}`;
const VOTERS = new Set(["CITIZEN", "RT_RW"]);
const VOTE = `mutation($poll: ID!, $option: ID!) { vote(pollId: $poll, optionId: $option) { ...P } } ${POLL}`;
const UPDATED = `subscription($poll: ID!) { pollUpdated(pollId: $poll) { ...P } } ${POLL}`;

export class PollsPanel {
  constructor(element, live, onUnauthenticated) {
    this.panel = new Panel(element, "polls");
    this.live = live;
    this.onUnauthenticated = onUnauthenticated;
    this.viewer = null;
    this.polls = new Map();
    this.sending = new Set(); // polls whose vote is on its way
    this.stops = [];
    this.generation = 0;
    this.panel.heading(t("pollsOfCity"));
  }

  async load(viewer = this.viewer) {
    this.viewer = viewer;
    const generation = ++this.generation;
    const area = viewer?.area;
    this.panel.heading(area ? t("pollsOfArea", { area: area.name }) : t("pollsOfCity"));
    let polls;
    try {
      if (viewer && area) {
        const data = await gql(AROUND, { area: area.id }, { auth: true });
        const mine = new Set(ancestors(area));
        polls = [...data.here.edges, ...data.around.edges.filter((e) => !e.node.area || mine.has(e.node.area.id))]
          .map((e) => e.node);
      } else {
        polls = (await gql(CITY, {}, { auth: Boolean(viewer) })).polls.edges.map((e) => e.node);
      }
    } catch (error) {
      if (generation !== this.generation) return;
      this.stopAll();
      this.panel.body.replaceChildren(h("p", { class: "error", role: "alert" }, errorText(error)));
      return;
    }
    if (generation !== this.generation) return; // signed in or out meanwhile
    const unique = new Map(polls.map((p) => [p.id, p]));
    this.polls = new Map([...unique.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map((p) => [p.id, p]));
    this.render();
    this.watch();
  }

  stopAll() {
    for (const stop of this.stops) stop();
    this.stops = [];
  }

  watch() {
    this.stopAll();
    for (const poll of this.polls.values()) {
      if (poll.status === "CLOSED") continue;
      this.stops.push(this.live.subscribe(UPDATED, { poll: poll.id }, (data) => this.update(data.pollUpdated)));
    }
  }

  render() {
    this.panel.heading(this.panel.title.textContent, this.polls.size);
    const items = [...this.polls.values()].map((poll) => this.card(poll));
    const note = this.viewer ? [] : [h("p", { class: "note" }, t("signInToVote"))];
    this.panel.body.replaceChildren(...(items.length ? [...note, h("div", { class: "polls" }, items)]
      : [h("p", { class: "empty" }, t("noPolls"))]));
  }

  // A poll's new state (its own vote, or a live update): the card is rebuilt, keeping an answer the
  // viewer picked but has not sent yet, the focus, and the last message.
  update(poll, message = null) {
    if (!poll || !this.polls.has(poll.id)) return null;
    this.polls.set(poll.id, poll);
    const old = this.panel.body.querySelector(`[data-poll-id="${CSS.escape(poll.id)}"]`);
    const fresh = this.card(poll);
    if (old) {
      const picked = old.dataset.dirty === "true" ? old.querySelector("input[type=radio]:checked")?.value : null;
      if (picked && poll.status === "OPEN") {
        const radio = fresh.querySelector(`input[type=radio][value="${CSS.escape(picked)}"]`);
        if (radio) {
          radio.checked = true;
          fresh.dataset.dirty = "true";
        }
      }
      const focusKey = old.contains(document.activeElement) ? document.activeElement.dataset.focusKey : null;
      const said = message ?? old.querySelector(".poll-message")?.textContent;
      if (said) fresh.querySelector(".poll-message")?.replaceChildren(said);
      const error = message === null ? old.querySelector(".error")?.textContent : "";
      if (error) fresh.querySelector(".error")?.replaceChildren(error);
      if (old.querySelector(".turnout")?.open) fresh.querySelector(".turnout")?.setAttribute("open", "");
      old.replaceWith(fresh);
      if (focusKey) fresh.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
    }
    return fresh;
  }

  card(poll) {
    const titleId = `poll-q-${poll.id.replace(/[^\w-]/g, "")}`;
    const open = poll.status === "OPEN";
    const chosen = poll.viewerVote?.id ?? null;
    // Whoever voted may change their vote while the poll is open.
    const canVote = open && (poll.viewerCanVote || chosen !== null);
    const visible = poll.totalVotes !== null && poll.totalVotes !== undefined;
    const article = h("article", { class: "poll", "data-poll-id": poll.id, "data-status": poll.status,
      "data-results": visible ? "shown" : "hidden", "aria-labelledby": titleId });
    const when = open || poll.status === "CLOSED"
      ? t(open ? "closesAt" : "closedAt", { time: formatTime(poll.closesAt) })
      : t("opensAt", { time: formatTime(poll.opensAt) });
    article.append(
      h("h3", { id: titleId, class: "question", tabindex: "-1" }, poll.question),
      h("p", { class: "meta small" },
        h("span", { class: `poll-status poll-${poll.status}` }, t(`p_${poll.status}`)),
        h("time", { datetime: open ? poll.closesAt : poll.opensAt }, when)),
      h("p", { class: "small poll-who" },
        `${poll.area?.name ?? t("wholeCity")} · ${t("byAuthor", { name: poll.author.displayName })}`),
    );
    const rows = poll.options.map((option) => this.option(poll, option, { canVote, visible, chosen }));
    const total = visible && h("p", { class: "small total" }, t("totalVotes", { n: poll.totalVotes }));
    if (canVote) {
      const sending = this.sending.has(poll.id);
      const form = h("form", { class: "poll-vote", novalidate: "" },
        h("fieldset", {}, h("legend", { class: "sr-only" }, poll.question),
          h("ul", { class: "options" }, rows)),
        total,
        h("div", { class: "actions" },
          h("button", { type: "submit", class: "primary", "data-focus-key": "submit", disabled: sending },
            t(sending ? "voting" : chosen ? "changeVote" : "vote")),
          h("p", { class: "poll-message", role: "status" })),
        h("p", { class: "error", role: "alert" }));
      form.addEventListener("change", () => { article.dataset.dirty = "true"; });
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.vote(poll, form);
      });
      article.append(form);
    } else {
      article.append(h("ul", { class: "options" }, rows), ...(total ? [total] : []),
        h("p", { class: "poll-message", role: "status" }));
    }
    if (this.viewer && open && !poll.viewerCanVote && !chosen) {
      article.append(h("p", { class: "note small why-not" }, this.whyNot(poll)));
    }
    if (!visible) {
      const why = poll.status !== "CLOSED" && canVote && !chosen ? "hiddenUntilVote" : "hiddenUntilClose";
      article.append(h("p", { class: "hidden-results" }, t(why)));
    }
    if (poll.turnout?.length) article.append(turnout(poll.turnout));
    return article;
  }

  // The server says only whether the viewer may vote; the reason follows from who they are and where they live
  // (the same rules: residents only, living inside the poll's area, accounts at least a day old).
  whyNot(poll) {
    if (!VOTERS.has(this.viewer.role)) return t("residentsOnly");
    const home = new Set(ancestors(this.viewer.area));
    if (poll.area && !home.has(poll.area.id)) return t("onlyResidentsOf", { area: poll.area.name });
    return t("tooNew");
  }

  option(poll, option, { canVote, visible, chosen }) {
    const mine = option.id === chosen;
    const parts = [h("span", { class: "label" }, option.label)];
    if (visible) {
      const share = option.share ?? 0;
      parts.push(h("span", { class: "count" },
        `${t("votes", { n: option.votes ?? 0 })} · ${formatPercent(share)}`));
      const fill = h("span", { class: "fill" });
      // Through the CSSOM: the page's CSP forbids style attributes, not this.
      fill.style.width = `${Math.round(Math.max(0, Math.min(1, share)) * 1000) / 10}%`;
      parts.push(h("span", { class: "bar", "aria-hidden": "true" }, fill));
    }
    if (mine) parts.push(h("span", { class: "mine" }, `✓ ${t("yourChoice")}`));
    const attributes = { class: `option${mine ? " chosen" : ""}`, "data-option-id": option.id,
      "data-votes": visible ? String(option.votes ?? 0) : null };
    const text = h("span", { class: "option-text" }, parts);
    if (!canVote) return h("li", attributes, h("div", { class: "option-body" }, text));
    const radio = h("input", { type: "radio", name: `vote-${poll.id}`, value: option.id, "data-focus-key": option.id });
    radio.checked = mine;
    return h("li", attributes, h("label", { class: "option-body" }, radio, text));
  }

  cardOf(pollId) {
    return this.panel.body.querySelector(`.poll[data-poll-id="${CSS.escape(pollId)}"]`);
  }

  // A live update may rebuild the card while the vote is on its way: the answer goes to the card then shown.
  async vote(poll, form) {
    const picked = form.querySelector("input[type=radio]:checked");
    const say = (text, kind) => {
      const card = this.cardOf(poll.id);
      for (const [selector, shown] of [[".error", kind === "error"], [".poll-message", kind !== "error"]]) {
        const element = card?.querySelector(selector);
        if (element) element.textContent = shown ? text : "";
      }
    };
    say("", "message");
    if (!picked) {
      say(t("chooseFirst"), "error");
      form.querySelector("input[type=radio]")?.focus();
      return;
    }
    const changed = Boolean(this.polls.get(poll.id)?.viewerVote);
    this.sending.add(poll.id);
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    button.textContent = t("voting");
    let updated = null;
    let failure = null;
    try {
      updated = (await gql(VOTE, { poll: poll.id, option: picked.value }, { auth: true })).vote;
    } catch (error) {
      failure = error;
    }
    this.sending.delete(poll.id);
    if (updated) {
      const card = this.cardOf(poll.id);
      if (card) card.dataset.dirty = "false";
      const fresh = this.update(updated, t(changed ? "voteChanged" : "voted"));
      // The button was disabled while sending, which took the focus away: give it back.
      (fresh?.querySelector("button[type=submit]") ?? fresh?.querySelector(".question"))?.focus();
      return;
    }
    const card = this.cardOf(poll.id);
    const current = card?.querySelector("button[type=submit]");
    if (current) {
      current.disabled = false;
      current.textContent = t(changed ? "changeVote" : "vote");
    }
    say(errorText(failure, "vote"), "error");
    if (failure instanceof ApiError && failure.code === "UNAUTHENTICATED") this.onUnauthenticated();
    else current?.focus();
  }
}

// For the author and admins: ballots per kelurahan, so that a flood of votes from one place shows.
function turnout(rows) {
  return h("details", { class: "turnout" }, h("summary", {}, t("turnout")),
    h("ul", {}, rows.map((row) => h("li", { "data-area-id": row.area?.id ?? "" },
      h("strong", {}, row.area?.name ?? t("elsewhere")), " — ",
      row.area ? t("turnoutRow", { n: row.votes, residents: row.residents }) : t("votes", { n: row.votes }),
      row.newAccounts > 0
        && h("span", { class: "new-accounts" }, ` · ${t("turnoutNew", { n: row.newAccounts })}`)))));
}
