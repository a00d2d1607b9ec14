// A report's page: photos, follow-ups, timeline and comments, kept current over the socket; signed in, what
// the viewer may do with it (actions.js, loaded then).
import { gql } from "./api.js";
import { errorText } from "./errors.js";
import { CARD, h, reportPage } from "./views.js";

// Signed in, the same query carries what only the viewer sees (their support, follows; officials: how far
// from the report a proof photo was taken).
const REPORT = `query($id: ID!) { report(id: $id) { ${CARD} kind address location { lat lng } photos { width height }
  author { id handle displayName viewerFollows } area { id viewerFollows } viewerHasSupported viewerFollows hidden
  city { id } duplicateOf { id }
  verification { verdict note }
  followUps { id note createdAt proofConsistent officer { displayName }
    photos { url thumbnailUrl width height distanceFromReportMeters } }
  rating { stars comment } escalationLevel escalatedTo { name } rejectReason
  comments(first: 50) { edges { node { id body createdAt author { handle displayName } } } }
  timeline { kind status note createdAt actor { handle } } } }`;
const REPORT_CHANGED = "subscription($id: ID!) { reportChanged(reportId: $id) { id } }";

export class ReportView {
  constructor(element, app) {
    this.element = element;
    this.app = app;
    this.id = null;
    this.stop = null;
  }

  async show(id) {
    if (id !== this.id) {
      this.stop?.();
      this.id = id;
      this.stop = this.app.live.subscribe(REPORT_CHANGED, { id }, () => this.render());
    }
    this.element.hidden = false;
    await this.render();
  }

  hide() {
    this.stop?.();
    this.stop = null;
    this.id = null;
    this.element.hidden = true;
  }

  async render() {
    const id = this.id;
    const viewer = this.app.viewer();
    let report;
    try {
      report = (await gql(REPORT, { id }, { auth: Boolean(viewer) })).report;
    } catch (failure) {
      this.element.replaceChildren(h("p", { class: "error", role: "alert" }, errorText(failure)));
      return;
    }
    if (id !== this.id) return; // another report was opened meanwhile
    const page = reportPage(report);
    if (report && viewer) {
      const { actions } = await import("./actions.js");
      page.append(actions(report, viewer, () => this.render()));
    }
    // Keep what the viewer is typing when the report changes under them.
    const typing = this.element.querySelector("textarea:focus, input:focus");
    if (typing?.value) return;
    this.element.replaceChildren(page);
    this.element.dataset.badge = report?.badge ?? "";
    if (report) this.app.focus(report.location);
  }
}
