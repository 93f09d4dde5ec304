// cxkit map editor: the journey as a grid (stages as columns, lanes as rows), edited in place.
//
// An anywidget front end, shipped as this plain ES module inside the cxkit package: no
// build step, no imports, nothing fetched from a network. The kernel owns the workbook:
// it sends `view` (what to draw) and `labels` (every text, from cxkit's locale files); this
// module sends one message per gesture ({op: "set" | "move_tp" | "move_stage" | "add_tp" |
// "add_stage" | "delete" | "opps" | "select" | "undo" | ...}) and redraws when `view` changes.
//
// Everything shown is set with textContent or attributes, never as HTML, so a name typed
// into the workbook cannot become markup.
//
// Keyboard (the ARIA grid pattern): the grid is one tab stop; arrow keys move between
// cells (mirrored right to left), Enter or F2 edits a cell, Escape cancels, leaving the
// cell keeps the edit, Delete asks to delete a touchpoint or stage, Alt+arrows move a
// touchpoint or stage, Ctrl+Z / Ctrl+Y undo and redo.

const EMO_TRACK = 84; // px: the height the emotion dot moves in (-2 at the bottom, +2 at the top)
const DRAG_START = 5; // px the pointer travels before a press becomes a drag

// ------------------------------------------------------------------------- small helpers

/** An element with attributes, classes and children (strings become text nodes). */
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** "{name}" placeholders filled from params, as the Python side does. */
function fmt(text, params = {}) {
  return String(text ?? "").replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

/** −2, −1, 0, +1, +2 with a real minus sign (reads the same in both directions). */
function signed(v) {
  return v < 0 ? `\u2212${-v}` : v > 0 ? `+${v}` : "0";
}

function emotionTop(value) {
  // the dot's centre, in px from the top of the track
  return ((2 - value) / 4) * EMO_TRACK;
}

function emotionAt(y) {
  // snap a pointer height in the track to -2..+2
  return Math.max(-2, Math.min(2, Math.round(2 - (4 * y) / EMO_TRACK)));
}

// ------------------------------------------------------------------------- the editor

class MapEditor {
  constructor(model, el) {
    this.model = model;
    this.el = el;
    this.focus = { row: 1, slot: 0 }; // the roving cell: row 0 = stages, 1.. = lanes
    this.editing = null; // {row, slot, commit(), cancel()} while a cell is open
    this.pendingRender = false;
    this.kept = {}; // what was typed into the add-stage / new-journey forms, until accepted
    this.frameTimes = []; // ms per drag redraw, read by the benchmark
    el.__cxkitMap = this;
    // data-lm-suppress-shortcuts: JupyterLab's notebook shortcuts (Enter, arrows, "z")
    // do not act on keys pressed inside the map
    this.root = h("div", {
      class: "cxkit-map",
      "data-lm-suppress-shortcuts": "true",
      "data-answered": String(model.get("answered") || 0),
    });
    // Keys pressed in the map stay in the map: JupyterLab's command-mode shortcuts match
    // the focused element itself (".jp-Notebook.jp-mod-commandMode :focus"), which the
    // attribute above cannot suppress, so "d d" on a focused cell would delete a
    // notebook cell. The browser's own handling of a key (typing, Tab) is untouched.
    this.root.addEventListener("keydown", (e) => e.stopPropagation());
    this.root.__cxkitMap = this; // for the benchmark and debugging in the console
    el.append(this.root);
    this.render();
    for (const name of ["view", "labels"]) model.on(`change:${name}`, () => this.requestRender());
    model.on("change:selected", () => this.markSelection());
    model.on("change:answered", () => {
      // a gesture was carried out (tests and the benchmark wait for this mark)
      this.root.dataset.answered = String(model.get("answered"));
      this.localProblem = null;
      if (!(model.get("problems") || []).length) this.kept = {};
      const pending = this.pending;
      this.pending = null;
      if (pending && (model.get("problems") || []).length && pending.cell.isConnected) {
        // refused: the editor opens again with what was typed, the reason above it
        this.renderBars();
        pending.editor.force = true; // the next Enter means it
        if (!this.editing) this.open(pending.cell, pending.editor, pending.before);
        return;
      }
      this.requestRender();
    });
    for (const name of ["problems", "confirm", "status", "can_undo", "can_redo"]) {
      model.on(`change:${name}`, () => this.renderBars());
    }
    this.resize = new ResizeObserver(() => this.drawCurve());
    this.resize.observe(this.root);
    // a tab closed (or reloaded) with a cell open: keep what was typed, as leaving the
    // cell would
    this.onPageHide = () => this.editing && this.editing.commit();
    window.addEventListener("pagehide", this.onPageHide);
  }

  dispose() {
    this.resize.disconnect();
    window.removeEventListener("pagehide", this.onPageHide);
  }

  get v() {
    return this.model.get("view") || {};
  }

  t(key, params) {
    const labels = this.model.get("labels") || {};
    return fmt(labels[key] ?? key, params);
  }

  lane(key) {
    return (this.model.get("labels") || {}).lanes?.[key] ?? key;
  }

  /** Send one gesture to the kernel; false (and a message) when it cannot be sent (the
   * kernel has stopped): the caller keeps what was typed. */
  send(msg) {
    try {
      this.model.send({ journey: this.v.journey, ...msg });
      return true;
    } catch (err) {
      this.localProblem = this.t("map_not_sent");
      this.renderBars();
      return false;
    }
  }

  get rtl() {
    return this.v.dir === "rtl";
  }

  // --------------------------------------------------------------------- layout model

  /** The columns in order: each touchpoint, then one "add" slot closing each stage. */
  slots() {
    const out = [];
    for (const stage of this.v.stages || []) {
      for (const tp of stage.touchpoints) out.push({ stage, tp });
      out.push({ stage, tp: null });
    }
    return out;
  }

  lanes() {
    return this.v.lanes || [];
  }

  // --------------------------------------------------------------------- drawing

  requestRender() {
    if (this.editing || this.dragging) {
      this.pendingRender = true;
      // a cell committed while another is open: show its saved value now
      for (const cell of this.root.querySelectorAll(".cxkit-map-committing")) {
        if (!this.editing || cell !== this.editing.cell) this.refreshCell(cell);
      }
    } else this.render();
  }

  /** Draw one cell again from the current view (the rest of the grid is left alone). */
  refreshCell(cell) {
    const lane = this.lanes().find((l) => l.key === cell.dataset.lane);
    const tp = this.tpById(cell.dataset.tp);
    cell.classList.remove("cxkit-map-committing", "cxkit-map-editing");
    if (lane && tp) cell.replaceChildren(...this.show(lane, tp));
  }

  render() {
    this.pendingRender = false;
    const hadFocus = this.root.contains(document.activeElement);
    const v = this.v;
    this.root.replaceChildren();
    this.root.setAttribute("dir", v.dir || "ltr");
    this.root.setAttribute("lang", v.lang || "en");
    this.root.append(this.toolbar());
    this.bars = h("div", { class: "cxkit-map-bars" });
    this.root.append(this.bars);
    this.renderBars();
    if (!v.journey) {
      this.root.append(h("p", { class: "cxkit-map-empty", text: this.t("map_no_journey") }));
      this.root.append(this.newJourneyForm());
      return;
    }
    this.root.append(h("p", { class: "cxkit-map-hint", text: this.t("map_hint") }));
    if (!(v.stages || []).length) {
      this.root.append(
        h("p", { class: "cxkit-map-empty", text: this.t("map_empty") }),
        this.addStageForm(0),
      );
      return;
    }
    this.scroll = h("div", { class: "cxkit-map-scroll" });
    this.grid = this.table();
    this.curve = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    this.curve.setAttribute("class", "cxkit-map-curve");
    this.curve.setAttribute("aria-hidden", "true");
    // the curve is drawn in the coordinates of a box exactly the table's size, so it
    // scrolls with it in either direction
    this.sheet = h("div", { class: "cxkit-map-sheet" }, this.grid, this.curve);
    this.scroll.append(this.sheet);
    this.root.append(this.scroll);
    this.clampFocus();
    this.markSelection();
    this.roving(hadFocus);
    requestAnimationFrame(() => this.drawCurve());
  }

  toolbar() {
    const v = this.v;
    const bar = h("div", { class: "cxkit-map-toolbar" });
    bar.append(h("h2", { class: "cxkit-map-title", text: this.t("map_title") }));
    if ((v.journeys || []).length > 1) {
      const pick = h("select", {
        class: "cxkit-map-journey",
        "aria-label": this.t("map_journey"),
        onchange: (e) => this.model.send({ op: "journey", id: e.target.value }),
      });
      for (const [id, title] of v.journeys) {
        pick.append(h("option", { value: id, selected: id === v.journey, text: title }));
      }
      bar.append(pick);
    }
    if (v.counterpart) {
      const future = v.counterpart.state === "future";
      bar.append(
        h("button", {
          class: "cxkit-map-state",
          type: "button",
          text: this.t(future ? "map_show_future" : "map_show_current"),
          onclick: () => this.model.send({ op: "journey", id: v.counterpart.id }),
        }),
      );
      bar.append(
        h("span", {
          class: `cxkit-map-badge cxkit-map-${v.state}`,
          text: this.t(v.state === "future" ? "map_future_state" : "map_current_state"),
        }),
      );
    }
    if (v.journey && (v.stages || []).length) {
      bar.append(
        h("button", {
          class: "cxkit-map-add-stage-end",
          type: "button",
          text: this.t("map_add_stage"),
          title: this.t("map_add_stage_tip"),
          onclick: (e) => this.openAddStage(e.currentTarget, v.stages.length),
        }),
      );
    }
    this.undoButton = h("button", {
      class: "cxkit-map-undo",
      type: "button",
      text: this.t("undo"),
      onclick: () => this.send({ op: "undo" }),
    });
    this.redoButton = h("button", {
      class: "cxkit-map-redo",
      type: "button",
      text: this.t("redo"),
      onclick: () => this.send({ op: "redo" }),
    });
    this.statusLine = h("span", { class: "cxkit-map-status", role: "status" });
    bar.append(this.undoButton, this.redoButton, this.statusLine);
    return bar;
  }

  /** The problems of the last gesture, a delete waiting for "yes", the save status. */
  renderBars() {
    if (!this.bars) return;
    const m = this.model;
    this.bars.replaceChildren();
    const problems = this.localProblem ? [this.localProblem] : m.get("problems") || [];
    if (problems.length) {
      this.bars.append(
        h(
          "div",
          { class: "cxkit-map-problems", role: "alert" },
          ...problems.map((p) => h("p", { text: p })),
        ),
      );
    }
    const confirm = m.get("confirm") || {};
    if (confirm.text) {
      const yes = h("button", {
        class: "cxkit-map-yes",
        type: "button",
        text: this.t("delete_confirm"),
        onclick: () =>
          this.send({ op: "delete", kind: confirm.kind, ids: confirm.ids, confirmed: true }),
      });
      const no = h("button", {
        class: "cxkit-map-no",
        type: "button",
        text: this.t("cancel"),
        onclick: () => {
          m.set("confirm", {});
          m.save_changes();
          this.roving(true);
        },
      });
      const bar = h(
        "div",
        {
          class: "cxkit-map-confirm",
          role: "alertdialog",
          "aria-label": confirm.text,
          onkeydown: (e) => e.key === "Escape" && no.click(),
        },
        h("p", { text: confirm.text }),
        yes,
        no,
      );
      this.bars.append(bar);
      requestAnimationFrame(() => yes.focus());
    }
    if (this.statusLine) this.statusLine.textContent = m.get("status") || "";
    if (this.undoButton) this.undoButton.disabled = !m.get("can_undo");
    if (this.redoButton) this.redoButton.disabled = !m.get("can_redo");
  }

  table() {
    const v = this.v;
    const slots = this.slots();
    const grid = h("table", {
      class: "cxkit-map-grid",
      role: "grid",
      "aria-label": this.t("map_grid", { title: v.title }),
      "aria-rowcount": this.lanes().length + 1,
      "aria-colcount": slots.length + 1,
    });
    grid.addEventListener("keydown", (e) => this.onKey(e));
    grid.addEventListener("focusin", (e) => this.onFocusIn(e));
    const head = h("tr", { role: "row", class: "cxkit-map-stages" });
    head.append(
      h("th", { class: "cxkit-map-corner", role: "columnheader", text: this.t("map_stage") }),
    );
    let slot = 0;
    (v.stages || []).forEach((stage, index) => {
      const span = stage.touchpoints.length + 1;
      head.append(this.stageHeader(stage, index, slot, span));
      slot += span;
    });
    const body = h("tbody");
    this.lanes().forEach((lane, i) => {
      const row = h("tr", { role: "row", class: `cxkit-map-lane cxkit-lane-${lane.key}` });
      row.append(
        h("th", {
          role: "rowheader",
          scope: "row",
          class: "cxkit-map-lane-label",
          text: this.lane(lane.key),
        }),
      );
      slots.forEach((s, k) => row.append(this.cell(lane, i + 1, k, s)));
      body.append(row);
    });
    grid.append(h("thead", {}, head), body);
    return grid;
  }

  stageHeader(stage, index, slot, span) {
    const cell = h("th", {
      role: "columnheader",
      colspan: span,
      class: "cxkit-map-stage",
      tabindex: "-1",
      "data-row": 0,
      "data-slot": slot,
      "data-stage": stage.id,
      "aria-colindex": slot + 2,
    });
    const handle = h("span", {
      class: "cxkit-map-handle cxkit-map-stage-handle",
      title: this.t("map_drag", { name: stage.name }),
      "aria-hidden": "true",
      text: "⠿",
    });
    handle.addEventListener("pointerdown", (e) => this.startDrag(e, "stage", { stage }));
    const name = h("span", { class: "cxkit-map-stage-name", dir: "auto", text: stage.name });
    const add = h("button", {
      class: "cxkit-map-add-stage",
      type: "button",
      tabindex: "-1",
      title: this.t("map_add_stage_tip"),
      text: this.t("map_add_stage"),
      onclick: (e) => {
        e.stopPropagation();
        this.openAddStage(e.currentTarget, index + 1);
      },
    });
    const del = h("button", {
      class: "cxkit-map-delete",
      type: "button",
      tabindex: "-1",
      "aria-label": this.t("map_delete_stage", { name: stage.name }),
      title: this.t("map_delete_stage", { name: stage.name }),
      text: "×",
      onclick: (e) => {
        e.stopPropagation();
        this.send({ op: "delete", kind: "stage", ids: [stage.id] });
      },
    });
    cell.append(
      h("span", { class: "cxkit-map-stage-no", text: String(index + 1) }),
      handle,
      name,
      del,
      add,
    );
    cell.addEventListener("click", (e) => {
      if (e.target === cell || e.target === name) this.edit(cell);
    });
    return cell;
  }

  /** One cell: what the lane shows for the slot's touchpoint. */
  cell(lane, row, slot, { stage, tp }) {
    const attrs = {
      role: "gridcell",
      tabindex: "-1",
      class: `cxkit-map-cell cxkit-map-${lane.kind}`,
      "data-row": row,
      "data-slot": slot,
      "data-lane": lane.key,
      "data-stage": stage.id,
      "aria-colindex": slot + 2,
    };
    if (!tp) {
      const cell = h("td", { ...attrs, class: `${attrs.class} cxkit-map-addslot` });
      if (row === 1) {
        const add = h("button", {
          class: "cxkit-map-add-tp",
          type: "button",
          tabindex: "-1",
          "aria-label": this.t("map_add_touchpoint_tip", { stage: stage.name }),
          title: this.t("map_add_touchpoint_tip", { stage: stage.name }),
          text: this.t("map_add_touchpoint"),
          onclick: (e) => {
            e.stopPropagation();
            this.edit(cell);
          },
        });
        cell.append(add);
      }
      return cell;
    }
    const cell = h("td", { ...attrs, "data-tp": tp.id });
    cell.append(...this.show(lane, tp));
    const said = this.spoken(lane, tp); // a card says its name itself
    const label = lane.kind === "card" ? said : `${tp.name}: ${said}`;
    cell.setAttribute("aria-label", `${this.lane(lane.key)} · ${label}`);
    cell.addEventListener("click", (e) => {
      if (e.target.closest("button, .cxkit-map-dot, .cxkit-map-handle")) return;
      if (this.editing && this.editing.cell === cell) return;
      this.edit(cell);
    });
    return cell;
  }

  /** What a cell shows (no editor open). */
  show(lane, tp) {
    const t = (k, p) => this.t(k, p);
    const notSet = () => h("span", { class: "cxkit-map-unset", text: t("map_not_set") });
    const list = (items) =>
      items.length ? h("ul", { dir: "auto" }, ...items.map((x) => h("li", { text: x }))) : null;
    switch (lane.kind) {
      case "card": {
        const channel = (this.v.channels || []).find(([c]) => c === tp.channel);
        const handle = h("span", {
          class: "cxkit-map-handle",
          title: t("map_drag", { name: tp.name }),
          "aria-hidden": "true",
          text: "⠿",
        });
        handle.addEventListener("pointerdown", (e) => this.startDrag(e, "touchpoint", { tp }));
        const marks = [];
        if (tp.moment_of_truth) marks.push(h("span", { class: "cxkit-map-mark-mot", text: "★" }));
        if (tp.pain_points.length) {
          const n = tp.pain_points.length;
          marks.push(h("span", { class: "cxkit-map-mark-pain", text: `⚠ ${n}` }));
        }
        const del = h("button", {
          class: "cxkit-map-delete",
          type: "button",
          tabindex: "-1",
          "aria-label": t("map_delete_touchpoint", { name: tp.name }),
          title: t("map_delete_touchpoint", { name: tp.name }),
          text: "×",
          onclick: (e) => {
            e.stopPropagation();
            this.send({ op: "delete", kind: "touchpoint", ids: [this.stageOf(tp.id), tp.id] });
          },
        });
        return [
          h(
            "div",
            { class: "cxkit-map-card-top" },
            handle,
            h("strong", { class: "cxkit-map-tp-name", dir: "auto", text: tp.name }),
            del,
          ),
          h(
            "div",
            { class: "cxkit-map-card-bottom" },
            h("span", {
              class: `cxkit-map-chip cxkit-ch-${tp.channel}`,
              text: channel ? channel[1] : tp.channel,
            }),
            ...marks,
          ),
        ];
      }
      case "text":
        return tp[lane.key] ? [h("p", { dir: "auto", text: tp[lane.key] })] : [];
      case "lines":
        return [list(tp[lane.key])].filter(Boolean);
      case "emotion": {
        const track = h("div", { class: "cxkit-map-track" });
        const value = tp.emotion;
        const dot = h("span", {
          class: `cxkit-map-dot ${value === null ? "cxkit-map-dot-unset" : `cxkit-e${value}`}${tp.moment_of_truth ? " cxkit-map-dot-mot" : ""}`,
          "data-value": value === null ? "" : value,
          text: value === null ? "?" : signed(value),
        });
        dot.style.top = `${emotionTop(value ?? 0)}px`;
        dot.addEventListener("pointerdown", (e) => this.startEmotionDrag(e, tp, dot));
        track.append(h("span", { class: "cxkit-map-zero" }), dot);
        return [track];
      }
      case "effort":
        return tp.effort
          ? [h("span", { class: "cxkit-map-effort", text: `${tp.effort}/5` })]
          : [notSet()];
      case "mot":
        return tp.moment_of_truth
          ? [
              h("span", { class: "cxkit-map-mot-badge", text: t("map_mot") }),
              tp.moment_of_truth_reason ? h("p", { text: tp.moment_of_truth_reason }) : null,
            ].filter(Boolean)
          : [];
      case "value": {
        const value = (this.v.values || []).find(([k]) => k === (tp.value || ""));
        return tp.value
          ? [
              h("span", {
                class: `cxkit-map-value cxkit-value-${tp.value}`,
                text: value ? value[1] : tp.value,
              }),
            ]
          : [];
      }
      case "opps":
        return tp.opportunities.length
          ? [
              h(
                "ul",
                { dir: "auto" },
                ...tp.opportunities.map((o) =>
                  h("li", {
                    text: `${o.title} (${t("impact")} ${o.impact}, ${t("effort")} ${o.effort})`,
                  }),
                ),
              ),
            ]
          : [];
      case "backstage":
        return [
          tp.owner ? h("p", { class: "cxkit-map-owner", text: tp.owner }) : null,
          list(tp.backstage),
        ].filter(Boolean);
      default:
        return [];
    }
  }

  /** A cell's content as a screen reader should say it. */
  spoken(lane, tp) {
    switch (lane.kind) {
      case "card": {
        const channel = (this.v.channels || []).find(([c]) => c === tp.channel);
        return [
          tp.name,
          channel ? channel[1] : tp.channel,
          tp.moment_of_truth ? this.t("map_mot") : "",
        ]
          .filter(Boolean)
          .join(", ");
      }
      case "emotion":
        return tp.emotion === null ? this.t("map_not_set") : signed(tp.emotion);
      case "effort":
        return tp.effort ? `${tp.effort}/5` : this.t("map_not_set");
      case "mot":
        return tp.moment_of_truth
          ? [this.t("map_mot"), tp.moment_of_truth_reason || ""].join(" ")
          : "";
      case "lines":
        return tp[lane.key].join("; ");
      case "value":
        return ((this.v.values || []).find(([k]) => k === (tp.value || "")) || ["", ""])[1];
      case "opps":
        return tp.opportunities.map((o) => o.title).join("; ");
      case "backstage":
        return [tp.owner || "", ...tp.backstage].filter(Boolean).join("; ");
      default:
        return tp[lane.key] || "";
    }
  }

  stageOf(tpId) {
    for (const stage of this.v.stages || []) {
      if (stage.touchpoints.some((tp) => tp.id === tpId)) return stage.id;
    }
    return null;
  }

  tpById(tpId) {
    for (const stage of this.v.stages || []) {
      const tp = stage.touchpoints.find((x) => x.id === tpId);
      if (tp) return tp;
    }
    return null;
  }

  /** The emotion curve: straight segments between set dots, broken where one is unset. */
  drawCurve() {
    if (!this.curve || !this.sheet || !this.sheet.isConnected) return;
    const started = performance.now();
    const box = this.sheet.getBoundingClientRect();
    const dots = [...this.sheet.querySelectorAll(".cxkit-lane-emotion .cxkit-map-dot")];
    let path = "";
    let pen = false;
    for (const dot of dots) {
      if (dot.dataset.value === "") {
        pen = false;
        continue;
      }
      const r = dot.getBoundingClientRect();
      const x = r.left + r.width / 2 - box.left;
      const y = r.top + r.height / 2 - box.top;
      path += `${pen ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`;
      pen = true;
    }
    this.curve.setAttribute("width", String(Math.ceil(box.width)));
    this.curve.setAttribute("height", String(Math.ceil(box.height)));
    let line = this.curve.firstChild;
    if (!line) {
      line = document.createElementNS("http://www.w3.org/2000/svg", "path");
      this.curve.append(line);
    }
    line.setAttribute("d", path);
    return performance.now() - started;
  }

  // --------------------------------------------------------------------- selection and focus

  markSelection() {
    if (!this.grid) return;
    const [sid, tid] = this.model.get("selected") || [];
    for (const cell of this.grid.querySelectorAll("td[data-tp]")) {
      const on = !!tid && cell.dataset.tp === tid && cell.dataset.stage === sid;
      cell.classList.toggle("cxkit-map-selected", on);
      cell.setAttribute("aria-selected", String(on));
    }
  }

  cellAt(row, slot) {
    if (!this.grid) return null;
    if (row === 0) {
      // the stage header whose span holds the slot
      for (const th of this.grid.querySelectorAll(".cxkit-map-stage")) {
        const first = Number(th.dataset.slot);
        if (slot >= first && slot < first + Number(th.getAttribute("colspan"))) return th;
      }
      return null;
    }
    return this.grid.querySelector(`td[data-row="${row}"][data-slot="${slot}"]`);
  }

  focusable(row, slot) {
    const cell = this.cellAt(row, slot);
    return cell && (row <= 1 || !cell.classList.contains("cxkit-map-addslot")) ? cell : null;
  }

  clampFocus() {
    if (this.focusStage && this.grid) {
      const th = this.grid.querySelector(
        `.cxkit-map-stage[data-stage="${CSS.escape(this.focusStage)}"]`,
      );
      if (th) this.focus = { row: 0, slot: Number(th.dataset.slot) };
      this.focusStage = null;
    }
    const slots = this.slots().length;
    const rows = this.lanes().length;
    this.focus.row = Math.max(0, Math.min(this.focus.row, rows));
    this.focus.slot = Math.max(0, Math.min(this.focus.slot, slots - 1));
    if (!this.focusable(this.focus.row, this.focus.slot)) {
      // an add slot in a lane other than the first: the touchpoint before it
      for (let s = this.focus.slot; s >= 0; s--) {
        if (this.focusable(this.focus.row, s)) {
          this.focus.slot = s;
          return;
        }
      }
      this.focus = { row: 1, slot: 0 };
    }
  }

  /** One cell has tabindex 0 (the grid's tab stop); move real focus there if asked. */
  roving(moveFocus) {
    if (!this.grid) return;
    for (const el of this.grid.querySelectorAll('[tabindex="0"]'))
      el.setAttribute("tabindex", "-1");
    const cell = this.cellAt(this.focus.row, this.focus.slot);
    if (!cell) return;
    cell.setAttribute("tabindex", "0");
    if (moveFocus) cell.focus({ preventScroll: false });
  }

  onFocusIn(e) {
    const cell = e.target.closest("[data-row]");
    if (!cell || this.editing) return;
    this.focus = { row: Number(cell.dataset.row), slot: Number(cell.dataset.slot) };
    this.roving(false);
  }

  move(dRow, dSlot) {
    const slots = this.slots().length;
    let { row, slot } = this.focus;
    if (dRow) {
      row = Math.max(0, Math.min(this.lanes().length, row + dRow));
      if (row === 0) {
        const th = this.cellAt(0, slot);
        if (th) slot = Number(th.dataset.slot);
      }
    }
    if (dSlot) {
      if (row === 0) {
        // from stage to stage
        const th = this.cellAt(0, slot);
        const first = Number(th.dataset.slot);
        const next = dSlot > 0 ? first + Number(th.getAttribute("colspan")) : first - 1;
        if (next >= 0 && next < slots) slot = Number(this.cellAt(0, next).dataset.slot);
      } else {
        let s = slot + dSlot;
        while (s >= 0 && s < slots && !this.focusable(row, s)) s += dSlot;
        if (s >= 0 && s < slots) slot = s;
      }
    }
    if (!this.focusable(row, slot)) {
      let s = slot;
      while (s > 0 && !this.focusable(row, s)) s--;
      slot = s;
    }
    this.focus = { row, slot };
    this.roving(true);
  }

  onKey(e) {
    if (this.editing) return; // the open editor handles its own keys
    const cell = e.target.closest("[data-row]");
    if (!cell || e.target !== cell) return;
    const ahead = this.rtl ? -1 : 1; // the slot to the right on screen
    const key = e.key;
    let handled = true;
    if ((e.ctrlKey || e.metaKey) && key.toLowerCase() === "z")
      this.send({ op: e.shiftKey ? "redo" : "undo" });
    else if ((e.ctrlKey || e.metaKey) && key.toLowerCase() === "y") this.send({ op: "redo" });
    else if (e.altKey && (key === "ArrowRight" || key === "ArrowLeft"))
      this.nudge(cell, key === "ArrowRight" ? ahead : -ahead);
    else if (key === "ArrowRight") this.move(0, ahead);
    else if (key === "ArrowLeft") this.move(0, -ahead);
    else if (key === "ArrowDown") this.move(1, 0);
    else if (key === "ArrowUp") this.move(-1, 0);
    else if (key === "Home") this.move(0, -this.focus.slot);
    else if (key === "End") this.move(0, this.slots().length);
    else if (key === "Enter" || key === "F2") this.edit(cell);
    else if (key === "Delete") this.askDelete(cell);
    else handled = false;
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  }

  askDelete(cell) {
    if (cell.dataset.row === "0")
      this.send({ op: "delete", kind: "stage", ids: [cell.dataset.stage] });
    else if (cell.dataset.tp && cell.dataset.lane === "touchpoint") {
      this.send({ op: "delete", kind: "touchpoint", ids: [cell.dataset.stage, cell.dataset.tp] });
    }
  }

  /** Alt+arrow: move a touchpoint one place on screen (into the next stage at the edge),
   * or a stage one place. */
  nudge(cell, dir) {
    const stages = this.v.stages || [];
    if (cell.dataset.row === "0") {
      const i = stages.findIndex((s) => s.id === cell.dataset.stage);
      const to = i + dir;
      if (to >= 0 && to < stages.length) {
        this.focusStage = cell.dataset.stage; // found again by id once redrawn
        this.send({ op: "move_stage", stage: cell.dataset.stage, index: to });
      }
      return;
    }
    const tid = cell.dataset.tp;
    if (!tid) return;
    const si = stages.findIndex((s) => s.id === cell.dataset.stage);
    const stage = stages[si];
    const i = stage.touchpoints.findIndex((tp) => tp.id === tid);
    if (i + dir >= 0 && i + dir < stage.touchpoints.length) {
      this.send({ op: "move_tp", tp: [stage.id, tid], to: stage.id, index: i + dir });
    } else if (stages[si + dir]) {
      const other = stages[si + dir];
      this.send({
        op: "move_tp",
        tp: [stage.id, tid],
        to: other.id,
        index: dir > 0 ? 0 : other.touchpoints.length,
      });
    } else return;
    this.focus.slot += dir; // keep the focus on the card it moved
  }

  // --------------------------------------------------------------------- editing in place

  /** Open the editor for a cell (a click, Enter or F2). */
  edit(cell) {
    if (this.editing) this.editing.commit();
    const row = Number(cell.dataset.row);
    const slot = Number(cell.dataset.slot);
    this.focus = { row, slot };
    if (row === 0) return this.editStage(cell);
    if (cell.classList.contains("cxkit-map-addslot")) return this.openAddTouchpoint(cell);
    const tp = this.tpById(cell.dataset.tp);
    if (!tp) return;
    this.send({ op: "select", ids: [cell.dataset.stage, tp.id] });
    const lane = this.lanes().find((l) => l.key === cell.dataset.lane);
    const editor = this.editorFor(lane, tp, cell);
    if (editor) this.open(cell, editor);
  }

  /** Replace the cell's content with ``editor`` = {nodes, first, values(), hint, enter}. */
  open(cell, editor, before = [...cell.childNodes]) {
    cell.replaceChildren(...editor.nodes);
    if (editor.hint) cell.append(h("small", { class: "cxkit-map-edit-hint", text: editor.hint }));
    cell.classList.remove("cxkit-map-committing");
    cell.classList.add("cxkit-map-editing");
    for (const input of cell.querySelectorAll("input, textarea")) input.readOnly = false;
    const close = (keep) => {
      if (!this.editing || this.editing.cell !== cell) return;
      this.editing = null;
      cell.removeEventListener("focusout", onLeave);
      cell.removeEventListener("keydown", onKey, true);
      const msg = keep ? editor.message() : null;
      if (msg && editor.force) delete msg.base; // Enter again after "changed meanwhile"
      if (msg) {
        // shown as typed until the kernel answers (then the grid is drawn again, or the
        // editor opens again if the kernel refused it)
        cell.classList.add("cxkit-map-committing");
        for (const input of cell.querySelectorAll("input, textarea")) input.readOnly = true;
        if (this.send(msg)) this.pending = { cell, editor, before };
        else this.open(cell, editor, before); // not sent: keep it open, say why
        return;
      }
      cell.classList.remove("cxkit-map-editing");
      cell.replaceChildren(...before);
      if (this.pendingRender) this.render();
      this.roving(
        cell.contains(document.activeElement) || document.activeElement === document.body,
      );
    };
    const onLeave = (e) => {
      if (e.relatedTarget && cell.contains(e.relatedTarget)) return;
      // focus went outside the cell (a click elsewhere, Tab): keep the edit
      setTimeout(() => close(true), 0);
    };
    const onKey = (e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        close(false);
      } else if (e.key === "Enter" && editor.enterCommits(e)) {
        e.preventDefault();
        close(true);
      } else if (editor.onKey) {
        editor.onKey(e);
      }
      e.stopPropagation(); // JupyterLab's notebook shortcuts stay out of the editor
    };
    cell.addEventListener("focusout", onLeave);
    cell.addEventListener("keydown", onKey, true);
    this.editing = { cell, commit: () => close(true), cancel: () => close(false) };
    requestAnimationFrame(() => {
      editor.first.focus();
      if (editor.first.select && editor.first.tagName !== "SELECT") editor.first.select();
    });
  }

  editorFor(lane, tp, cell) {
    const t = (k, p) => this.t(k, p);
    const sid = cell.dataset.stage;
    // "base": what the cell showed when it opened, so an edit made meanwhile in another
    // tab is not overwritten unseen (the kernel refuses and names it)
    const set = (fields) => ({
      op: "set",
      tp: [sid, tp.id],
      fields,
      base: Object.fromEntries(Object.keys(fields).map((k) => [k, tp[k]])),
    });
    const label = this.lane(lane.key);
    const textarea = (value, name, rows = 3) =>
      h("textarea", {
        class: `cxkit-map-input cxkit-map-in-${name}`,
        rows,
        "aria-label": label,
        text: value ?? "",
      });
    const select = (options, value, name, aria) => {
      const s = h("select", {
        class: `cxkit-map-input cxkit-map-in-${name}`,
        "aria-label": aria || label,
      });
      for (const [v, text] of options)
        s.append(h("option", { value: v, selected: String(v) === String(value ?? ""), text }));
      return s;
    };
    const single = (e) => !e.shiftKey;
    const ctrl = (e) => e.ctrlKey || e.metaKey;
    switch (lane.kind) {
      case "card": {
        const name = h("input", {
          class: "cxkit-map-input cxkit-map-in-name",
          value: tp.name,
          "aria-label": t("name"),
        });
        name.value = tp.name;
        const channel = select(this.v.channels, tp.channel, "channel", t("channel"));
        return {
          nodes: [name, channel],
          first: name,
          hint: t("map_commit_hint"),
          enterCommits: () => true,
          message: () => set({ name: name.value, channel: channel.value }),
        };
      }
      case "text": {
        const box = textarea(tp[lane.key], lane.key);
        return {
          nodes: [box],
          first: box,
          hint: t("map_commit_hint"),
          enterCommits: single,
          message: () => set({ [lane.key]: box.value }),
        };
      }
      case "lines": {
        const box = textarea(
          tp[lane.key].join("\n"),
          lane.key,
          Math.max(3, tp[lane.key].length + 1),
        );
        return {
          nodes: [box],
          first: box,
          hint: t("map_lines_hint"),
          enterCommits: ctrl,
          message: () => set({ [lane.key]: box.value }),
        };
      }
      case "effort": {
        const options = [["", t("map_not_set")], ...this.v.efforts.map((n) => [n, `${n}/5`])];
        const s = select(options, tp.effort, "effort");
        s.addEventListener("change", () => this.editing && this.editing.commit());
        return {
          nodes: [s],
          first: s,
          enterCommits: () => true,
          message: () => set({ effort: s.value === "" ? null : Number(s.value) }),
        };
      }
      case "value": {
        const s = select(this.v.values, tp.value || "", "value");
        s.addEventListener("change", () => this.editing && this.editing.commit());
        return {
          nodes: [s],
          first: s,
          enterCommits: () => true,
          message: () => set({ value: s.value }),
        };
      }
      case "emotion":
        return this.emotionEditor(tp, cell, set);
      case "mot": {
        const flag = h("input", {
          type: "checkbox",
          class: "cxkit-map-in-mot",
          checked: tp.moment_of_truth,
          id: `mot-${tp.id}`,
        });
        const reason = h("input", {
          class: "cxkit-map-input cxkit-map-in-reason",
          "aria-label": t("moment_of_truth_reason"),
          placeholder: t("moment_of_truth_reason"),
        });
        reason.value = tp.moment_of_truth_reason || "";
        const box = h("label", { class: "cxkit-map-check", for: `mot-${tp.id}` }, flag, " ", label);
        return {
          nodes: [box, reason],
          first: flag,
          hint: t("map_commit_hint"),
          enterCommits: () => true,
          message: () =>
            set({ moment_of_truth: flag.checked, moment_of_truth_reason: reason.value }),
        };
      }
      case "backstage": {
        const owner = h("input", {
          class: "cxkit-map-input cxkit-map-in-owner",
          "aria-label": t("owner"),
          placeholder: t("owner"),
        });
        owner.value = tp.owner || "";
        const box = textarea(tp.backstage.join("\n"), "backstage");
        box.setAttribute("aria-label", t("backstage"));
        box.setAttribute("placeholder", t("backstage"));
        return {
          nodes: [owner, box],
          first: owner,
          hint: t("map_lines_hint"),
          enterCommits: (e) => ctrl(e) || e.target === owner,
          message: () => set({ owner: owner.value, backstage: box.value }),
        };
      }
      case "opps":
        return this.oppsEditor(tp, sid);
      default:
        return null;
    }
  }

  /** Rows of title + impact + effort: the linked opportunities, one new, and a menu to
   * link one the journey already has. */
  oppsEditor(tp, sid) {
    const t = (k, p) => this.t(k, p);
    const scale = (value, what) => {
      const s = h("select", {
        class: `cxkit-map-input cxkit-map-in-${what}`,
        "aria-label": t(what),
      });
      s.append(h("option", { value: "", text: t(`choose_${what}`) }));
      for (let n = 1; n <= 5; n++)
        s.append(h("option", { value: n, selected: n === value, text: String(n) }));
      return s;
    };
    const rows = [];
    const row = (o) => {
      const title = h("input", {
        class: "cxkit-map-input cxkit-map-in-opp",
        "aria-label": t("map_new_opportunity"),
        placeholder: t("map_new_opportunity"),
      });
      title.value = o ? o.title : "";
      const impact = scale(o ? o.impact : null, "impact");
      const effort = scale(o ? o.effort : null, "effort");
      rows.push({ id: o ? o.id : null, title, impact, effort });
      return h("div", { class: "cxkit-map-opp-row" }, title, impact, effort);
    };
    const nodes = tp.opportunities.map(row);
    nodes.push(row(null));
    const linked = new Set(tp.opportunities.map((o) => o.id));
    const others = (this.v.opportunities || []).filter((o) => !linked.has(o.id));
    let link = null;
    if (others.length) {
      link = h("select", {
        class: "cxkit-map-input cxkit-map-in-link",
        "aria-label": t("map_link_existing"),
      });
      link.append(h("option", { value: "", text: t("map_link_existing") }));
      for (const o of others) link.append(h("option", { value: o.id, text: o.title }));
      nodes.push(link);
    }
    const message = () => {
      const out = rows.map((r) => ({
        id: r.id,
        title: r.title.value,
        impact: r.impact.value ? Number(r.impact.value) : null,
        effort: r.effort.value ? Number(r.effort.value) : null,
      }));
      if (link && link.value) {
        const o = others.find((x) => x.id === link.value);
        out.push({ id: o.id, title: o.title, impact: null, effort: null });
      }
      return { op: "opps", tp: [sid, tp.id], rows: out };
    };
    return {
      nodes,
      first: rows[0].title,
      hint: t("map_lines_hint"),
      enterCommits: (e) => e.ctrlKey || e.metaKey || e.target.tagName === "INPUT",
      message,
    };
  }

  /** The emotion cell as an editor: arrow keys move the dot (snapping), Enter keeps it. */
  emotionEditor(tp, cell, set) {
    let value = tp.emotion;
    const track = h("div", {
      class: "cxkit-map-track",
      role: "slider",
      tabindex: "0",
      "aria-label": this.t("map_emotion_of", { name: tp.name, value: "" }).replace(/[:\s]+$/, ""),
      "aria-valuemin": -2,
      "aria-valuemax": 2,
    });
    const dot = h("span", { class: "cxkit-map-dot" });
    const paint = () => {
      dot.className = `cxkit-map-dot ${value === null ? "cxkit-map-dot-unset" : `cxkit-e${value}`}`;
      dot.textContent = value === null ? "?" : signed(value);
      dot.dataset.value = value === null ? "" : String(value);
      dot.style.top = `${emotionTop(value ?? 0)}px`;
      track.setAttribute("aria-valuenow", value === null ? "" : String(value));
      track.setAttribute("aria-valuetext", value === null ? this.t("map_not_set") : signed(value));
      this.drawCurve();
    };
    track.append(h("span", { class: "cxkit-map-zero" }), dot);
    paint();
    const onKey = (e) => {
      if (e.key === "ArrowUp" || e.key === "ArrowDown") {
        e.preventDefault();
        const start = value ?? 0;
        value = Math.max(-2, Math.min(2, start + (e.key === "ArrowUp" ? 1 : -1)));
        paint();
      } else if (e.key === "Backspace" || e.key === "Delete") {
        value = null;
        paint();
      }
    };
    return {
      nodes: [track],
      first: track,
      hint: this.t("map_emotion_hint"),
      enterCommits: () => true,
      onKey,
      message: () => (value === tp.emotion ? null : set({ emotion: value })),
    };
  }

  editStage(cell) {
    const stage = (this.v.stages || []).find((s) => s.id === cell.dataset.stage);
    if (!stage) return;
    const name = h("input", {
      class: "cxkit-map-input cxkit-map-in-stage",
      "aria-label": this.t("name"),
    });
    name.value = stage.name;
    this.open(cell, {
      nodes: [name],
      first: name,
      hint: this.t("map_commit_hint"),
      enterCommits: () => true,
      message: () =>
        name.value.trim() === stage.name
          ? null
          : { op: "stage_name", stage: stage.id, name: name.value },
    });
  }

  /** The "+" of a stage: a name and a channel (required: nothing is invented), then Add. */
  openAddTouchpoint(cell) {
    const name = h("input", {
      class: "cxkit-map-input cxkit-map-in-new-name",
      "aria-label": this.t("map_new_tp_name"),
      placeholder: this.t("map_new_tp_name"),
    });
    const channel = h("select", {
      class: "cxkit-map-input cxkit-map-in-new-channel",
      "aria-label": this.t("channel"),
    });
    channel.append(h("option", { value: "", text: this.t("choose_channel") }));
    for (const [v, text] of this.v.channels) channel.append(h("option", { value: v, text }));
    const add = h("button", { type: "button", class: "cxkit-map-add-go", text: this.t("map_add") });
    add.addEventListener("click", () => this.editing && this.editing.commit());
    this.open(cell, {
      nodes: [name, channel, add],
      first: name,
      hint: this.t("map_commit_hint"),
      enterCommits: () => true,
      message: () =>
        name.value.trim() || channel.value
          ? { op: "add_tp", stage: cell.dataset.stage, name: name.value, channel: channel.value }
          : null,
    });
  }

  /** "+ Stage": a name, then Add; ``index`` is where it goes (0 = first). */
  openAddStage(anchor, index) {
    const form = this.addStageForm(index);
    anchor.replaceWith(form);
    form.querySelector("input").focus();
  }

  addStageForm(index) {
    const name = h("input", {
      class: "cxkit-map-input cxkit-map-in-new-stage",
      "aria-label": this.t("map_new_stage_name"),
      placeholder: this.t("map_new_stage_name"),
    });
    name.value = this.kept.stage || "";
    let sent = false; // Enter, then the focus leaving the redrawn form: one stage
    const go = () => {
      if (!name.value.trim() || sent) return;
      sent = true;
      this.kept = { stage: name.value }; // typed again into the form if the kernel refuses
      this.send({ op: "add_stage", name: name.value, index });
    };
    const add = h("button", {
      type: "button",
      class: "cxkit-map-add-stage-go",
      text: this.t("map_add"),
      onclick: go,
    });
    name.addEventListener("keydown", (e) => {
      e.stopPropagation();
      if (e.key === "Enter") go();
      if (e.key === "Escape") this.render();
    });
    const form = h("span", { class: "cxkit-map-add-form" }, name, add);
    form.addEventListener("focusout", (e) => {
      // leaving the form keeps a typed name, as leaving a cell does
      if (e.relatedTarget && form.contains(e.relatedTarget)) return;
      if (name.value.trim()) go();
    });
    return form;
  }

  newJourneyForm() {
    const title = h("input", {
      class: "cxkit-map-input cxkit-map-in-journey-title",
      "aria-label": this.t("map_new_journey_title"),
      placeholder: this.t("map_new_journey_title"),
    });
    const persona = h("select", {
      class: "cxkit-map-input cxkit-map-in-journey-persona",
      "aria-label": this.t("choose_persona"),
    });
    persona.append(h("option", { value: "", text: this.t("choose_persona") }));
    for (const [id, name] of this.v.personas || [])
      persona.append(h("option", { value: id, text: name }));
    title.value = this.kept.title || "";
    persona.value = this.kept.persona || "";
    const go = () => {
      this.kept = { title: title.value, persona: persona.value };
      this.send({ op: "new_journey", title: title.value, persona: persona.value });
    };
    title.addEventListener("keydown", (e) => {
      e.stopPropagation();
      if (e.key === "Enter") go();
    });
    return h(
      "div",
      { class: "cxkit-map-add-form" },
      title,
      persona,
      h("button", {
        type: "button",
        class: "cxkit-map-create",
        text: this.t("map_create"),
        onclick: go,
      }),
    );
  }

  // --------------------------------------------------------------------- dragging

  /** A press on a card's or a stage's handle: past DRAG_START px it drags, and the drop
   * place follows the pointer over the cards (their real positions, so right to left
   * works the same as left to right). */
  startDrag(e, kind, what) {
    if (e.button !== 0) return;
    e.preventDefault();
    const x0 = e.clientX;
    const y0 = e.clientY;
    const source = e.currentTarget.closest("th, td");
    let ghost = null;
    let marker = null;
    let drop = null;
    const targets = () =>
      kind === "stage"
        ? [...this.grid.querySelectorAll(".cxkit-map-stage")]
        : [...this.grid.querySelectorAll('td[data-row="1"]')];
    let last = null; // the pointer's last position, for scrolling at the edges
    const place = (ev) => {
      drop = this.dropAt(ev.clientX, ev.clientY, kind, targets(), what);
      if (drop) {
        marker.style.display = "block";
        marker.style.left = `${drop.x - 2}px`;
        marker.style.top = `${drop.top}px`;
        marker.style.height = `${drop.height}px`;
      } else marker.style.display = "none";
    };
    // held near the grid's left or right edge, the grid keeps scrolling that way
    const edges = () => {
      if (!ghost || !this.dragging) return;
      const view = this.scroll.getBoundingClientRect();
      const step = last.clientX < view.left + 40 ? -12 : last.clientX > view.right - 40 ? 12 : 0;
      if (step) {
        this.scroll.scrollLeft += step;
        place(last);
      }
      requestAnimationFrame(edges);
    };
    const onMove = (ev) => {
      last = ev;
      if (!ghost && Math.hypot(ev.clientX - x0, ev.clientY - y0) < DRAG_START) return;
      if (!ghost) {
        this.dragging = true;
        ghost = h("div", {
          class: "cxkit-map-ghost",
          text: kind === "stage" ? what.stage.name : what.tp.name,
        });
        marker = h("div", { class: "cxkit-map-drop" });
        document.body.append(ghost, marker);
        source.classList.add("cxkit-map-dragged");
        requestAnimationFrame(edges);
      }
      const started = performance.now();
      ghost.style.left = `${ev.clientX + 8}px`;
      ghost.style.top = `${ev.clientY + 8}px`;
      place(ev);
      this.frameTimes.push(performance.now() - started);
    };
    const onUp = () => {
      window.removeEventListener("pointermove", onMove);
      window.removeEventListener("pointerup", onUp);
      window.removeEventListener("keydown", onEsc, true);
      const dragged = !!ghost;
      ghost?.remove();
      marker?.remove();
      source.classList.remove("cxkit-map-dragged");
      this.dragging = false;
      if (dragged && drop) {
        if (kind === "stage")
          this.send({ op: "move_stage", stage: what.stage.id, index: drop.index });
        else
          this.send({
            op: "move_tp",
            tp: [this.stageOf(what.tp.id), what.tp.id],
            to: drop.stage,
            index: drop.index,
          });
      }
      if (this.pendingRender) this.render();
    };
    const onEsc = (ev) => {
      if (ev.key === "Escape") {
        drop = null;
        onUp();
      }
    };
    window.addEventListener("pointermove", onMove);
    window.addEventListener("pointerup", onUp);
    window.addEventListener("keydown", onEsc, true);
  }

  /** Where a drop at screen x lands: {stage, index, x, top, height} (index as in the list
   * without the dragged item). */
  dropAt(x, y, kind, cells, what) {
    // only over the grid's visible part, and not over the lane labels that stay in view
    // on top of the scrolled cells: anywhere else a release drops nothing
    const view = this.scroll.getBoundingClientRect();
    const labels = this.grid.querySelector(".cxkit-map-corner").getBoundingClientRect();
    if (y < view.top || y > view.bottom || x < view.left || x > view.right) return null;
    if (x >= labels.left && x <= labels.right) return null;
    let best = null;
    for (const cell of cells) {
      const r = cell.getBoundingClientRect();
      if (x < r.left || x > r.right) continue;
      best = { cell, r };
      break;
    }
    if (!best) return null;
    const { cell, r } = best;
    const startSide = this.rtl ? x > r.left + r.width / 2 : x < r.left + r.width / 2;
    const edge = startSide === !this.rtl ? r.left : r.right;
    const place = {
      x: edge,
      top: r.top,
      height: kind === "stage" ? r.height : this.grid.getBoundingClientRect().bottom - r.top,
    };
    const stages = this.v.stages || [];
    if (kind === "stage") {
      const order = stages.map((s) => s.id).filter((id) => id !== what.stage.id);
      let index = order.indexOf(cell.dataset.stage);
      if (index < 0) return null; // over itself
      if (!startSide) index += 1;
      return { ...place, index };
    }
    const stage = stages.find((s) => s.id === cell.dataset.stage);
    const order = stage.touchpoints.map((tp) => tp.id).filter((id) => id !== what.tp.id);
    if (!cell.dataset.tp) return { ...place, stage: stage.id, index: order.length }; // the add slot: the end
    if (cell.dataset.tp === what.tp.id) return null;
    let index = order.indexOf(cell.dataset.tp);
    if (!startSide) index += 1;
    return { ...place, stage: stage.id, index };
  }

  /** Drag an emotion dot: it snaps to -2..+2 as it moves and the curve follows; the
   * value is sent once, on release. */
  startEmotionDrag(e, tp, dot) {
    if (e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    const track = dot.parentElement;
    const cell = dot.closest("td");
    let value = tp.emotion;
    this.dragging = true;
    dot.setPointerCapture(e.pointerId);
    dot.classList.add("cxkit-map-dot-dragging");
    const onMove = (ev) => {
      const started = performance.now();
      const y = ev.clientY - track.getBoundingClientRect().top;
      const next = emotionAt(y);
      if (next !== value) {
        value = next;
        dot.className = `cxkit-map-dot cxkit-map-dot-dragging cxkit-e${value}`;
        dot.dataset.value = String(value);
        dot.textContent = signed(value);
        dot.style.top = `${emotionTop(value)}px`;
        this.drawCurve();
      }
      this.frameTimes.push(performance.now() - started);
    };
    const onUp = () => {
      dot.removeEventListener("pointermove", onMove);
      dot.removeEventListener("pointerup", onUp);
      dot.removeEventListener("pointercancel", onUp);
      this.dragging = false;
      dot.classList.remove("cxkit-map-dot-dragging");
      this.send({ op: "select", ids: [cell.dataset.stage, tp.id] });
      if (value !== tp.emotion && value !== null) {
        this.send({ op: "set", tp: [cell.dataset.stage, tp.id], fields: { emotion: value } });
      } else if (this.pendingRender) this.render();
    };
    dot.addEventListener("pointermove", onMove);
    dot.addEventListener("pointerup", onUp);
    dot.addEventListener("pointercancel", onUp);
  }
}

export default {
  render({ model, el }) {
    const editor = new MapEditor(model, el);
    return () => editor.dispose();
  },
};
