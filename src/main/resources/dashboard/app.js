// Glidepath dashboard. Everything that comes from the cluster goes into the DOM as text (textContent,
// attributes through setAttribute), never as markup.
'use strict';

const views = new Map(); // "namespace/name" -> view
const cards = new Map(); // "namespace/name" -> element
const SVG = 'http://www.w3.org/2000/svg';

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  return e;
}

function number(v) {
  if (v === null || v === undefined) return '–';
  if (Number.isInteger(v)) return String(v);
  return Number(v).toPrecision(4).replace(/\.?0+$/, '');
}

// --- the live feed ---------------------------------------------------------------------------------

function connect() {
  const status = document.getElementById('connection');
  const source = new EventSource('api/events');
  source.addEventListener('open', () => { status.textContent = 'live'; status.className = 'connection live'; });
  source.addEventListener('error', () => { status.textContent = 'reconnecting…'; status.className = 'connection down'; });
  source.addEventListener('snapshot', (e) => {
    const all = JSON.parse(e.data);
    const keys = new Set(all.map((v) => v.key));
    for (const key of [...views.keys()]) if (!keys.has(key)) remove(key);
    for (const v of all) update(v);
    place();
  });
  source.addEventListener('release', (e) => { update(JSON.parse(e.data)); place(); });
  source.addEventListener('removed', (e) => { remove(JSON.parse(e.data).key); place(); });
}

function update(view) {
  views.set(view.key, view);
  const old = cards.get(view.key);
  const card = render(view, old);
  if (old && old !== card) old.replaceWith(card);
  cards.set(view.key, card);
}

function remove(key) {
  views.delete(key);
  const card = cards.get(key);
  if (card) card.remove();
  cards.delete(key);
}

/** Needs-you first, then the rest, each by namespace and name; the filter hides what does not match. */
function place() {
  const needs = document.getElementById('needs-you');
  const others = document.getElementById('others');
  const filter = document.getElementById('filter').value.trim().toLowerCase();
  const sorted = [...views.values()].sort((a, b) => a.key.localeCompare(b.key));
  const inNeeds = [];
  const inOthers = [];
  for (const v of sorted) {
    const card = cards.get(v.key);
    const haystack = [v.namespace, v.name, v.phase, v.deploymentType, v.version, v.waitingFor].join(' ').toLowerCase();
    card.hidden = filter !== '' && !haystack.includes(filter);
    (v.needsYou ? inNeeds : inOthers).push(card);
  }
  arrange(needs, inNeeds);
  arrange(others, inOthers);
  document.getElementById('needs-you-empty').hidden = inNeeds.some((c) => !c.hidden);
  document.getElementById('others-empty').hidden = inOthers.some((c) => !c.hidden);
}

/** Puts the cards in this order, moving only those out of place (a moved node loses an open list or focus). */
function arrange(container, list) {
  let at = container.firstElementChild;
  for (const card of list) {
    if (card === at) {
      at = at.nextElementSibling;
    } else {
      container.insertBefore(card, at);
    }
  }
}

// --- one Release -----------------------------------------------------------------------------------

function render(v, old) {
  const card = el('article', 'card' + (v.needsYou ? ' needs-you' : ''));
  card.dataset.release = v.key;
  card.dataset.phase = v.phase;

  const title = el('div', 'title');
  title.append(el('span', 'ns', v.namespace + ' /'), el('span', 'name', v.name));
  const phase = el('span', 'phase', v.phase);
  phase.classList.add(String(v.phase).replace(/[^A-Za-z]/g, '') || 'none');
  title.append(phase);
  if (v.version) title.append(el('span', 'version', 'version ' + v.version));
  if (v.deploymentType) {
    const type = el('span', 'type', v.deploymentType);
    type.classList.add(String(v.deploymentType).replace(/[^A-Za-z]/g, ''));
    type.title = 'deployment type';
    title.append(type);
  }
  card.append(title);

  if (v.waitingFor && v.waitingFor !== '-') {
    const line = el('div', 'line');
    line.append(el('span', 'label', 'Waiting for: '), el('span', 'waiting', v.waitingFor));
    card.append(line);
  }
  if (v.message) card.append(el('div', 'line message', v.message));

  const revs = el('div', 'line');
  revs.append(el('span', 'label', 'Revision: '), el('span', null, 'stable ' + (v.stableRevision ?? '–')
      + (v.toRevision != null ? ' → rolling out ' + v.toRevision : '')
      + (v.strategy ? ' · ' + v.strategy : '')));
  card.append(revs);

  if (v.weight !== null && v.weight !== undefined) {
    const w = el('div', 'line weight');
    const bar = el('div', 'bar');
    const fill = el('div');
    fill.style.width = Math.max(0, Math.min(100, v.weight)) + '%';
    bar.append(fill);
    w.append(el('span', 'label', 'Weight:'), bar, el('span', 'weight-value', v.weight + '% to the new revision'));
    card.append(w);
  }

  if (v.steps.length) {
    const ol = el('ol', 'steps');
    v.steps.forEach((s, i) => {
      const li = el('li', s.state, i + ': ' + s.text);
      li.title = s.state;
      ol.append(li);
    });
    card.append(ol);
  }

  if (v.metrics.length) {
    const box = el('div', 'metrics');
    for (const m of v.metrics) box.append(metric(m));
    const label = el('div', 'line label', 'Analysis' + (v.analysisOf ? ' (' + v.analysisOf + ')' : '') + ':');
    card.append(label, box);
  }

  if (v.jobs.length) {
    card.append(el('div', 'line label', 'Jobs:'));
    const ul = el('ul', 'jobs');
    for (const j of v.jobs) {
      const li = el('li', 'job-' + j.state);
      li.append(el('span', null, j.name + ': '), el('span', 'job-state', j.state));
      ul.append(li);
    }
    card.append(ul);
  }

  if (v.history.length) {
    const details = el('details', 'history');
    const wasOpen = old && old.querySelector('details.history');
    details.open = Boolean(wasOpen && wasOpen.open);
    details.append(el('summary', null, 'History: ' + v.history.length + ' rollout' + (v.history.length === 1 ? '' : 's')));
    const table = el('table');
    const head = el('tr');
    for (const h of ['Rollout', 'Revisions', 'Type', 'Reason', 'Phase', 'Took', 'Why it ended', '']) head.append(el('th', null, h));
    table.append(head);
    for (const h of [...v.history].reverse()) {
      const tr = el('tr');
      for (const c of [h.name, h.revisions, h.type, h.reason, h.outcome ? h.phase + ' · ' + h.outcome : h.phase, h.took, h.message]) {
        tr.append(el('td', null, c ?? ''));
      }
      const open = el('button', 'record', 'Record');
      open.type = 'button';
      open.dataset.rollout = h.name;
      open.title = 'The deployment record of ' + h.name;
      open.addEventListener('click', () => showRecord(v.namespace, h.name));
      const cell = el('td');
      cell.append(open);
      tr.append(cell);
      table.append(tr);
    }
    details.append(table);
    card.append(details);
  }

  const bar = actions(v, old);
  if (old && bar.parentNode === old) {
    // The buttons do the same as before: the card stays, its content is renewed around the bar, which is never
    // detached (an open revision list stays open, a button under the pointer stays put).
    old.className = card.className;
    old.dataset.phase = v.phase;
    for (const child of [...old.children]) if (child !== bar) child.remove();
    bar.before(...card.childNodes);
    return old;
  }
  card.append(bar);
  return card;
}

function metric(m) {
  const box = el('div', 'metric');
  box.dataset.metric = m.name;
  box.append(el('div', 'mname', m.name), el('div', 'mbound', (m.judged ? 'judged against ' : 'bound: ') + m.bound));
  const ms = m.measurements || [];
  if (!ms.length) {
    box.append(el('div', 'mlast', 'no measurement yet'));
    return box;
  }
  box.append(chart(m, ms));
  const last = ms[ms.length - 1];
  let text = 'last: ' + last.verdict + ' ' + number(last.value);
  if (m.judged && last.stableValue !== undefined && last.stableValue !== null) text += ' (stable ' + number(last.stableValue) + ')';
  if (m.judged && last.evidenceWorse !== undefined && last.evidenceWorse !== null) {
    text += ' · evidence worse ' + number(last.evidenceWorse) + ', not worse ' + number(last.evidenceNotWorse);
  }
  if (last.reason) text += ' — ' + last.reason;
  box.append(el('div', 'mlast', text));
  return box;
}

/** The measurements as a line against the threshold; each point coloured by its verdict, with its time on hover. */
function chart(m, ms) {
  const W = 240, H = 70, P = 6;
  const values = ms.map((x) => x.value).filter((x) => x !== null && x !== undefined);
  const bounds = [m.max, m.min].filter((x) => x !== null && x !== undefined);
  const stable = ms.map((x) => x.stableValue).filter((x) => x !== null && x !== undefined);
  const all = values.concat(bounds, stable, [0]);
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi === lo) hi = lo + 1;
  hi += (hi - lo) * 0.1;
  const x = (i) => P + (ms.length === 1 ? (W - 2 * P) / 2 : i * (W - 2 * P) / (ms.length - 1));
  const y = (v) => H - P - (v - lo) * (H - 2 * P) / (hi - lo);
  const s = svg('svg', { class: 'chart', width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img' });
  const title = svg('title');
  title.textContent = m.name + ': ' + ms.length + ' measurements against ' + m.bound;
  s.append(title);
  for (const b of bounds) {
    s.append(svg('line', { class: 'threshold', x1: 0, x2: W, y1: y(b), y2: y(b) }));
    const t = svg('text', { x: W - 2, y: y(b) - 2, 'text-anchor': 'end' });
    t.textContent = (b === m.max ? 'max ' : 'min ') + number(b);
    s.append(t);
  }
  const line = (pick, cls) => {
    const pts = [];
    ms.forEach((p, i) => { const v = pick(p); if (v !== null && v !== undefined) pts.push(x(i).toFixed(1) + ',' + y(v).toFixed(1)); });
    if (pts.length > 1) s.append(svg('polyline', { class: cls, points: pts.join(' ') }));
  };
  line((p) => p.stableValue, 'stable');
  line((p) => p.value, 'series');
  ms.forEach((p, i) => {
    if (p.value === null || p.value === undefined) return;
    const dot = svg('circle', { cx: x(i).toFixed(1), cy: y(p.value).toFixed(1), r: 2.5, class: String(p.verdict || '').replace(/[^A-Za-z]/g, '') });
    const tip = svg('title');
    tip.textContent = p.time + ': ' + number(p.value) + ' ' + p.verdict + (p.reason ? ' — ' + p.reason : '');
    dot.append(tip);
    s.append(dot);
  });
  return s;
}

/**
 * The buttons of a Release: only the commands that mean something now (the view's actions, decided as the CLI
 * decides them). While what they would do stays the same, the bar on the page is kept as it is, so that a push (a new
 * measurement, a countdown) neither closes the revision list nor moves a button under the pointer.
 */
function actions(v, old) {
  const signature = JSON.stringify([v.actions, v.revisions, v.previousStable, v.stableRevision, v.toRevision, v.waitingFor, v.phase]);
  const kept = old && old.querySelector('div.actions');
  if (kept && kept.dataset.signature === signature) return kept;
  const bar = el('div', 'actions');
  bar.dataset.signature = signature;
  const allowed = new Set(v.actions || []);
  const button = (action, label, likely, danger, detail) => {
    if (!allowed.has(action)) return;
    const b = el('button', (likely ? 'likely' : '') + (danger ? ' danger' : ''), label);
    b.type = 'button';
    b.dataset.action = action;
    b.addEventListener('click', () => ask(v, action, label, detail()));
    bar.append(b);
  };
  button('promote', 'Promote', v.waitingFor === 'promote', false, () => 'The rollout goes past its current pause.');
  button('promote-full', 'Full promote', false, false, () => 'The new revision takes 100% now, skipping the remaining steps.');
  button('abort', 'Abort', false, true, () => 'All traffic goes back to revision ' + (v.stableRevision ?? '?') + ' now.');
  button('retry', 'Retry', true, false, () => 'The current template is rolled out again.');
  button('approve', 'Approve', true, false, () => 'Revision ' + (v.toRevision ?? '') + ' may roll out.');
  button('resume', 'Resume', true, false, () => 'Steps advance again.');
  button('pause', 'Pause', false, false, () => 'No step advances and no traffic moves until resume.');
  if (!allowed.has('rollback')) return bar;

  // Only the revisions a rollback may go to now; "previous stable" when there is one.
  const select = el('select', 'revision');
  select.setAttribute('aria-label', 'Revision to roll back to');
  if (v.previousStable !== null && v.previousStable !== undefined) {
    const def = el('option', null, 'previous stable (revision ' + v.previousStable + ')');
    def.value = '';
    select.append(def);
  }
  for (const r of v.revisions) {
    if (!r.rollbackTarget) continue;
    const o = el('option', null, 'revision ' + r.number + (r.version ? ' (' + r.version + ')' : '') + ' · ' + (r.outcome || '')
        + (r.stable ? ' · stable' : ''));
    o.value = String(r.number);
    select.append(o);
  }
  const before = old && old.querySelector('select.revision');
  if (before && [...select.options].some((o) => o.value === before.value)) select.value = before.value;
  const rollback = el('button', 'danger', 'Roll back');
  rollback.type = 'button';
  rollback.dataset.action = 'rollback';
  rollback.addEventListener('click', () => {
    const revision = select.value === '' ? null : Number(select.value);
    ask(v, 'rollback', 'Roll back', revision === null ? 'Back to the revision that was stable before the current one.'
        : 'Back to revision ' + revision + ' (no steps: its pods first, then all traffic).', revision);
  });
  bar.append(rollback, select);
  return bar;
}

// --- the deployment record of a Rollout -----------------------------------------------------------

/** The record as kubectl glidepath record prints it (Markdown), shown as text. */
async function showRecord(namespace, name) {
  const box = document.getElementById('record');
  const text = document.getElementById('record-text');
  document.getElementById('record-title').textContent = 'Deployment record of ' + namespace + '/' + name;
  text.textContent = 'loading…';
  box.hidden = false;
  document.getElementById('record-close').focus();
  try {
    const response = await fetch('api/record?namespace=' + encodeURIComponent(namespace) + '&name=' + encodeURIComponent(name));
    text.textContent = response.ok ? await response.text() : (await response.json()).error;
  } catch (e) {
    text.textContent = 'the dashboard did not answer: ' + e.message;
  }
}

function closeRecord() {
  document.getElementById('record').hidden = true;
}

// --- commands --------------------------------------------------------------------------------------

let pending = null;

function ask(v, action, label, detail, revision) {
  pending = { namespace: v.namespace, name: v.name, action: action };
  if (revision !== undefined && revision !== null) pending.revision = revision;
  document.getElementById('confirm-text').textContent = label + ' ' + v.namespace + '/' + v.name + '?';
  document.getElementById('confirm-detail').textContent = detail || '';
  document.getElementById('confirm').hidden = false;
  document.getElementById('confirm-yes').focus();
}

function closeDialog() {
  document.getElementById('confirm').hidden = true;
  pending = null;
}

async function confirmed() {
  const body = pending;
  closeDialog();
  if (!body) return;
  try {
    const response = await fetch('api/command', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Glidepath': '1' },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    notify(response.ok ? answer.message : answer.error, !response.ok);
  } catch (e) {
    notify('the dashboard did not answer: ' + e.message, true);
  }
}

let noticeTimer = null;

function notify(text, isError) {
  const n = document.getElementById('notice');
  n.textContent = text;
  n.className = 'notice' + (isError ? ' error' : ' ok');
  n.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { n.hidden = true; }, isError ? 20000 : 8000);
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('confirm-yes').addEventListener('click', confirmed);
  document.getElementById('confirm-no').addEventListener('click', closeDialog);
  document.getElementById('confirm').addEventListener('click', (e) => { if (e.target.id === 'confirm') closeDialog(); });
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape') { closeDialog(); closeRecord(); } });
  document.getElementById('record-close').addEventListener('click', closeRecord);
  document.getElementById('record').addEventListener('click', (e) => { if (e.target.id === 'record') closeRecord(); });
  document.getElementById('filter').addEventListener('input', place);
  document.getElementById('notice').addEventListener('click', (e) => { e.currentTarget.hidden = true; });
  connect();
});
