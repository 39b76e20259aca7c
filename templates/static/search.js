// The search page. Two indexes, both static files:
// - the substring index (search/substring/, builder/search/substring.py): every project whose
//   name, unit, department, id or printed figures contain the query as typed (spaces ignored),
//   ranked first: name before unit, department, id and figures;
// - Pagefind's full text (pagefind/<year>/, each year's parts merged into one bundle by
//   builder/search/merge.py), whose results follow: each space-separated
//   part of the query is a phrase (Pagefind cuts it into words with Intl.Segmenter, as its
//   1.6 indexer cut the pages), a page must hold every part, and a part that is a single
//   function character (的, 和 …) is left out.
// Filters, sort and page are in the address (history.replaceState). Text from the indexes is
// inserted as text nodes only (a <mark> is rebuilt as an element): nothing from content runs.
const form = document.querySelector("form[data-search]");
const input = document.getElementById("q");
const status = document.getElementById("search-status");
const results = document.getElementById("search-results");
const pager = document.getElementById("search-pager");
const clearBox = document.getElementById("search-clear");
const siteRoot = new URL("../", import.meta.url); // assets/ sits at the site root
const PAGE_SIZE = 20;
const FORMAT = 1;
const bundles = form.dataset.bundles.trim().split(/\s+/).filter(Boolean);
const substringRoot = new URL(`${form.dataset.substring}/`, siteRoot);

// --- the substring index -------------------------------------------------------------------

const cache = new Map();
function load(path) {
  if (!cache.has(path)) {
    cache.set(path, fetch(new URL(path, substringRoot)).then((r) => {
      if (!r.ok) throw new Error(`${path}: ${r.status}`);
      return r.json();
    }));
  }
  return cache.get(path);
}

export function normalise(text) {
  // As builder/search/substring.py `normalise`: NFKC, lower case, no spaces or commas.
  return text.normalize("NFKC").toLowerCase().replace(/[\s,\u00a0\u3000]/gu, "");
}

function bucketOf(key, buckets) {
  // FNV-1a (32 bits) of the key's UTF-8 bytes, as builder/search/substring.py `bucket_of`.
  let value = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(key)) {
    value = Math.imul(value ^ byte, 0x01000193) >>> 0;
  }
  return value % buckets;
}

async function postings(meta, key) {
  const bucket = await load(`keys/${bucketOf(key, meta.buckets)}.json`);
  return Object.prototype.hasOwnProperty.call(bucket, key) ? bucket[key] : [];
}

function placesByRecord(flat) {
  // Pairs of (record delta, place) -> Map record -> Set of places.
  const map = new Map();
  let record = 0;
  for (let i = 0; i < flat.length; i += 2) {
    record += flat[i];
    if (!map.has(record)) map.set(record, new Set());
    map.get(record).add(flat[i + 1]);
  }
  return map;
}

async function filterRecords(meta, filters) {
  // The records with every chosen filter value, or null when none is chosen.
  let kept = null;
  for (const [name, value] of Object.entries(filters)) {
    const flat = await postings(meta, `${meta.filter_key}${name}=${value}`);
    const these = new Set();
    let record = 0;
    for (const delta of flat) these.add((record += delta));
    kept = kept === null ? these : new Set([...kept].filter((r) => these.has(r)));
  }
  return kept;
}

async function substringMatches(meta, query, filters) {
  // [{record, place}] of every record holding the query, best first (field, then start).
  const offsets = [];
  if (query.length === 1) offsets.push(0);
  for (let i = 0; i + 2 <= query.length; i += 2) offsets.push(i);
  if (query.length > 1 && query.length % 2 === 1) offsets.push(query.length - 2);
  const keys = offsets.map((i) => query.slice(i, i + (query.length === 1 ? 1 : 2)));
  const lists = await Promise.all(keys.map((key) => postings(meta, key)));
  const [first, ...rest] = lists.map(placesByRecord);
  const kept = await filterRecords(meta, filters);
  const found = [];
  for (const [record, places] of first) {
    if (kept && !kept.has(record)) continue;
    const starts = [...places].filter((place) =>
      rest.every((other, n) => other.get(record)?.has(place + offsets[n + 1])),
    );
    if (starts.length) found.push({ record, place: Math.min(...starts) });
  }
  const span = meta.field_span;
  const rank = (m) => [Math.floor(m.place / span), m.place % span === 0 ? 0 : 1, m.record];
  found.sort((a, b) => compareLists(rank(a), rank(b)));
  return found;
}

function compareLists(a, b) {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

async function sortMatches(matches, sort) {
  if (!sort) return matches;
  const [key, direction] = sort.split(":");
  const order = await load(`order-${key}.json`);
  const position = new Map(order.map((record, n) => [record, n]));
  const sign = direction === "desc" ? -1 : 1;
  return [...matches].sort((a, b) => sign * (position.get(a.record) - position.get(b.record)));
}

// A page by its folder, as every link of the site gives it (one address a page).
const folderOf = (url) => url.replace(/index\.html$/, "");

async function record(meta, number) {
  const shard = await load(`records/${Math.floor(number / meta.per_shard)}.json`);
  const [url, title, unit, dept, year, budget, executed, rate, declared, score, grade, mismatch] =
    shard[number % meta.per_shard];
  return { url: folderOf(new URL(url, siteRoot).pathname), title, unit, dept, year, budget, executed, rate,
    declared, score, grade, mismatch: Boolean(mismatch) };
}

// --- Pagefind ------------------------------------------------------------------------------

let pagefind;
async function loadPagefind() {
  const bundle = (path) => new URL(`${path}/`, siteRoot);
  pagefind = await import(new URL("pagefind.js", bundle(bundles[0])).href);
  await pagefind.options({ baseUrl: siteRoot.pathname, excerptLength: 40 });
  // Requested together; each merged index keeps its place in the list, so results that
  // score the same come in the same order every time.
  await Promise.all(
    bundles.slice(1).map((path) => pagefind.mergeIndex(bundle(path).href, { baseUrl: siteRoot.pathname })),
  );
  await pagefind.init();
}

function sortOption(sort) {
  return sort ? { [sort.split(":")[0]]: sort.split(":")[1] } : undefined;
}

async function fullText(term, filters, sort, functionCharacters) {
  // Pagefind's results holding each space-separated part of the term as a phrase (its words
  // in a row, as the indexer cut them), in Pagefind's order; a part that is one function
  // character is left out. Parts typed apart ("养 老") are also tried joined.
  const parts = term.replaceAll('"', "").split(/\s+/)
    .filter((part) => part && !(part.length === 1 && functionCharacters.includes(part)));
  if (!parts.length) return [];
  const phrase = (text) => pagefind.search(`"${text}"`, { filters, sort: sortOption(sort) });
  const searches = await Promise.all(parts.map(phrase));
  const sets = searches.slice(1).map((search) => new Set(search.results.map((r) => r.id)));
  const all = searches[0].results.filter((r) => sets.every((ids) => ids.has(r.id)));
  if (parts.length === 1) return all;
  const joined = (await phrase(parts.join(""))).results;
  const seen = new Set(joined.map((r) => r.id));
  return [...joined, ...all.filter((r) => !seen.has(r.id))];
}

async function filtered(filters, sort) {
  return (await pagefind.search(null, { filters, sort: sortOption(sort) })).results;
}

// --- the page ------------------------------------------------------------------------------

function chosen() {
  const pagefindFilters = {};
  const substringFilters = {};
  form.querySelectorAll("select[data-filter]").forEach((select) => {
    if (!select.value) return;
    pagefindFilters[select.dataset.filter] = select.value;
    substringFilters[select.name] = select.value;
  });
  const sort = form.querySelector("#f-sort").value;
  return { pagefindFilters, substringFilters, sort };
}

function marked(text, query) {
  // The text with the part that normalises to the query in a <mark>, if any.
  const fragment = document.createDocumentFragment();
  const pieces = [...text].map((ch) => normalise(ch));
  const flat = pieces.join("");
  const at = query ? flat.indexOf(query) : -1;
  if (at < 0) {
    fragment.append(text);
    return fragment;
  }
  let seen = 0, start = -1, end = -1;
  const chars = [...text];
  pieces.forEach((piece, i) => {
    if (start < 0 && seen + piece.length > at) start = i;
    if (end < 0 && seen + piece.length >= at + query.length && piece.length) end = i + 1;
    seen += piece.length;
  });
  const mark = document.createElement("mark");
  mark.textContent = chars.slice(start, end).join("");
  fragment.append(chars.slice(0, start).join(""), mark, chars.slice(end).join(""));
  return fragment;
}

function excerptNodes(html) {
  // Pagefind excerpts are escaped text with <mark> around matches; rebuild exactly that.
  const fragment = document.createDocumentFragment();
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  doc.body.firstChild.childNodes.forEach((node) => {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      fragment.appendChild(mark);
    } else {
      fragment.appendChild(document.createTextNode(node.textContent));
    }
  });
  return fragment;
}

function line(className, ...parts) {
  const span = document.createElement("span");
  span.className = className;
  span.append(...parts);
  return span;
}

function card(item, query) {
  const li = document.createElement("li");
  const heading = document.createElement("a");
  heading.href = item.url;
  heading.append(item.exact ? marked(item.title, query) : item.title);
  const where = [`${item.year}年度`, item.unit, item.dept].filter(Boolean).join(" · ");
  const money = [];
  if (item.budget) money.push(`预算 ${item.budget} 万元`);
  if (item.executed) money.push(`执行 ${item.executed} 万元`);
  if (item.rate) money.push(`执行率 ${item.rate}`);
  const scores = [`申报 ${item.declared || "未填"}`, `复核 ${item.score}`, item.grade].join(" · ");
  li.append(heading, line("meta", where));
  if (money.length) li.append(line("meta money", money.join(" · ")));
  const scoreLine = line("meta scores", scores);
  if (item.mismatch) {
    const badge = document.createElement("span");
    badge.className = "mismatch";
    badge.textContent = "有不一致";
    scoreLine.append(" · ", badge);
  }
  li.append(scoreLine);
  if (item.exact && item.field !== "name") {
    const text = { unit: item.unit, department: item.dept, id: item.id }[item.field];
    const label = { unit: "实施单位", department: "主管部门", id: "项目标识" }[item.field];
    li.append(line("excerpt", ...(label ? [`${label}:`, marked(text, query)] : ["预算、执行数或执行率含所查数字"])));
  } else if (item.excerpt) {
    li.append(line("excerpt", excerptNodes(item.excerpt)));
  }
  return li;
}

function pagerLink(label, page, params) {
  const link = document.createElement("a");
  const next = new URLSearchParams(params);
  if (page > 1) next.set("page", page); else next.delete("page");
  link.href = `?${next}`;
  link.textContent = label;
  link.dataset.page = page;
  return link;
}

async function pagefindItem(result) {
  const data = await result.data();
  const m = data.meta;
  return { url: folderOf(data.url), title: m.title || data.url, unit: m.unit, dept: m.dept, year: m.year,
    budget: m.budget, executed: m.executed, rate: m.rate, declared: m.declared, score: m.score,
    grade: m.grade, mismatch: Boolean(m.mismatch), excerpt: data.excerpt,
    id: data.url.split("/").filter(Boolean).slice(-1)[0], yuan: m.yuan };
}

function holds(item, query) {
  // Whether the substring index found this page too: the same fields as
  // builder/search/substring.py `Record.fields` (the money also as 元 with two decimals).
  const fields = [item.title, item.unit, item.dept, item.id, item.budget, item.executed, item.rate,
    ...(item.yuan || "").split(" ")];
  return fields.some((field) => field && normalise(String(field)).includes(query));
}

class Results {
  // One search's results: the exact matches, then Pagefind's others. Pagefind is asked only
  // when a page reaches past the exact matches, and its results are read (their fragments
  // loaded) only as far as a page needs, skipping the pages the exact matches hold already.
  constructor(query, exact, ask) {
    Object.assign(this, { query, exact, ask, others: null, read: 0, kept: [] });
  }

  get asked() {
    return this.others !== null;
  }

  get complete() {
    // Without exact matches no result of Pagefind's is left out: its count is the count.
    return this.asked && (!this.exact.length || this.read >= this.others.length);
  }

  get known() {
    if (this.asked && !this.exact.length) return this.others.length;
    return this.exact.length + this.kept.length;
  }

  async fill(count) {
    const wanted = count - this.exact.length;
    if (wanted > 0 && !this.asked) this.others = await this.ask();
    while (this.kept.length < wanted && this.read < this.others.length) {
      const batch = this.others.slice(this.read, this.read + PAGE_SIZE);
      this.read += batch.length;
      const items = await Promise.all(batch.map(pagefindItem));
      this.kept.push(...items.filter((item) => !(this.exact.length && holds(item, this.query))));
    }
  }

  async slice(from, to) {
    await this.fill(to);
    const shown = [];
    for (let i = from; i < Math.min(to, this.known); i++) {
      if (i < this.exact.length) {
        const match = this.exact[i];
        const item = await record(meta, match.record);
        const field = meta.fields[Math.min(Math.floor(match.place / meta.field_span), meta.fields.length - 1)];
        item.id = item.url.split("/").filter(Boolean).slice(-1)[0];
        shown.push({ ...item, exact: true, field });
      } else {
        shown.push(this.kept[i - this.exact.length]);
      }
    }
    return shown;
  }
}

function showPager(page, more, params) {
  pager.replaceChildren();
  if (page > 1) pager.append(pagerLink("上一页", page - 1, params), " ");
  if (page > 1 || more) pager.append(line("page-of", `第 ${page} 页`));
  if (more) pager.append(" ", pagerLink("下一页", page + 1, params));
}

function addressOf(page) {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (value) params.set(name, value);
  if (page > 1) params.set("page", page);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
  params.delete("page");
  return params;
}

function say(found, page, term) {
  const { exact, complete, known, asked } = found;
  if (!known && complete) return "没有找到匹配的项目。";
  const fields = `名称、单位、主管部门、标识或金额含“${term}”`;
  let what;
  if (!asked) what = `找到 ${exact.length} 个${fields}的项目,排在前面;正文提到这些词的项目在其后`;
  else {
    const count = complete ? `${known} 个` : `${known} 个以上`;
    what = `找到 ${count}项目`;
    if (exact.length && exact.length === known && complete) what = `找到 ${count}${fields}的项目`;
    else if (exact.length) what += `:${fields}的 ${exact.length} 个在前,其后是正文提到这些词的项目`;
  }
  const from = (page - 1) * PAGE_SIZE + 1;
  if (complete && known && from > known) return `${what}。第 ${page} 页没有结果,请回到前面的页。`;
  const where = known > PAGE_SIZE || page > 1
    ? `本页是第 ${from}–${Math.min(known, page * PAGE_SIZE)} 个。` : "";
  return `${what}。${where}`;
}

let meta = null;
let runs = 0;
let current = null; // the last search: what it was asked and its Results

async function search(term, query, picked) {
  const { pagefindFilters, substringFilters, sort } = picked;
  const key = JSON.stringify([query, term, picked]);
  if (current && current.key === key) return current.found;
  let exact = [];
  if (query && meta) exact = await sortMatches(await substringMatches(meta, query, substringFilters), sort);
  const ask = async () => {
    if (!pagefind) return [];
    if (!query) return filtered(pagefindFilters, sort);
    return fullText(term, pagefindFilters, sort, meta ? meta.function_characters : "的和及与等");
  };
  const found = new Results(query, exact, ask);
  current = { key, found };
  return found;
}

async function run(page = 1) {
  const mine = ++runs;
  const params = addressOf(page);
  const term = input.value.trim();
  const query = normalise(term);
  const picked = chosen();
  const filtering = Object.keys(picked.pagefindFilters).length > 0;
  clearBox.hidden = true;
  const functionCharacters = meta ? meta.function_characters : "的和及与等";
  let message = null;
  if (!query && !filtering && !picked.sort) message = "请输入关键词,或选择筛选条件。";
  else if (query.length === 1 && functionCharacters.includes(query)) {
    message = `“${query}”是常用虚词,几乎每个项目都有,单独搜索没有意义;请输入项目名称、单位或金额中的词。`;
  }
  if (message) {
    results.replaceChildren();
    pager.replaceChildren();
    status.textContent = message;
    return;
  }
  status.textContent = "正在搜索…";
  const found = await search(term, query, picked);
  const from = (page - 1) * PAGE_SIZE;
  const shown = await found.slice(from, from + PAGE_SIZE);
  // Is there a next page? Without exact matches Pagefind's count says it, no fragment read.
  if (found.exact.length) await found.fill(from + PAGE_SIZE + 1);
  if (mine !== runs) return; // a later search replaced this one
  results.start = from + 1; // page 2 counts on from 21
  results.replaceChildren(...shown.map((item) => card(item, query)));
  showPager(page, found.known > from + PAGE_SIZE || (!found.asked && Boolean(pagefind)), params);
  status.textContent = say(found, page, term);
  clearBox.hidden = !(found.known === 0 && filtering);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  run(1);
});
form.querySelectorAll("select").forEach((select) => select.addEventListener("change", () => run(1)));
pager.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-page]");
  if (!link) return;
  event.preventDefault();
  run(Number(link.dataset.page)).then(() => status.focus());
});
clearBox.querySelector("button").addEventListener("click", () => {
  form.querySelectorAll("select[data-filter]").forEach((select) => { select.value = ""; });
  run(1);
});

const initial = new URLSearchParams(location.search);
input.value = initial.get("q") || "";
for (const [name, value] of initial) {
  const select = form.querySelector(`select[name="${CSS.escape(name)}"]`);
  if (select) select.value = value;
}
try {
  const [loadedMeta] = await Promise.all([
    load("meta.json").then((m) => (m.format === FORMAT ? m : null)).catch(() => null),
    loadPagefind().catch(() => { pagefind = undefined; }),
  ]);
  meta = loadedMeta;
  if (!meta && !pagefind) throw new Error("no index");
  status.textContent = "请输入关键词,或选择筛选条件。";
  run(Math.max(1, Number.parseInt(initial.get("page") || "1", 10) || 1));
} catch (error) {
  status.textContent = "搜索索引无法加载,请从首页按年度和单位浏览。";
}
