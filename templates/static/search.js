// Search with Pagefind's JavaScript API. Text from the index is inserted as text nodes only
// (the <mark> of a match is rebuilt as an element), so nothing from the content can run.
const form = document.querySelector("form[data-search]");
const input = document.getElementById("q");
const status = document.getElementById("search-status");
const results = document.getElementById("search-results");
const sortSelect = document.getElementById("f-sort");
const siteRoot = new URL("../", import.meta.url);  // assets/ sits at the site root
const PAGE_SIZE = 20;

// Pagefind bundles (site paths), a few per year, newest year first; the others are merged
// into the first.
const bundles = form.dataset.bundles.trim().split(/\s+/).filter(Boolean);

let pagefind;
try {
  const bundle = (path) => new URL(`${path}/`, siteRoot);
  pagefind = await import(new URL("pagefind.js", bundle(bundles[0])).href);
  await pagefind.options({ baseUrl: siteRoot.pathname });
  // Requested together; each merged index keeps its place in the list, so results that
  // score the same come in the same order every time.
  await Promise.all(
    bundles.slice(1).map((path) => pagefind.mergeIndex(bundle(path).href, { baseUrl: siteRoot.pathname })),
  );
  await pagefind.init();
  status.textContent = "请输入关键词,或选择筛选条件。";
} catch (error) {
  status.textContent = "搜索索引无法加载,请从首页按年度和单位浏览。";
}

function selectedFilters() {
  const filters = {};
  form.querySelectorAll("select[data-filter]").forEach((select) => {
    if (select.value) filters[select.dataset.filter] = select.value;
  });
  return filters;
}

function selectedSort() {
  if (!sortSelect.value) return undefined;
  const [key, direction] = sortSelect.value.split(":");
  return { [key]: direction };
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

async function projectIdLookup(term, filters) {
  // A project id is matched exactly through its filter: word search would split it.
  const available = await pagefind.filters();
  const ids = available["项目标识"] || {};
  if (!Object.prototype.hasOwnProperty.call(ids, term)) return null;
  return pagefind.search(null, { filters: { ...filters, 项目标识: term } });
}

async function run() {
  if (!pagefind) return;
  const term = input.value.trim();
  const filters = selectedFilters();
  const sort = selectedSort();
  if (!term && Object.keys(filters).length === 0 && !sort) {
    results.replaceChildren();
    status.textContent = "请输入关键词,或选择筛选条件。";
    return;
  }
  status.textContent = "正在搜索…";
  let search = term ? await projectIdLookup(term, filters) : null;
  if (!search) search = await pagefind.search(term || null, { filters, sort });
  const items = await Promise.all(search.results.slice(0, PAGE_SIZE).map((r) => r.data()));
  results.replaceChildren(
    ...items.map((item) => {
      const li = document.createElement("li");
      const link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.meta.title || item.url;
      const meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = ` ${item.meta.year || ""}年度 · ${item.meta.unit || ""} · 复核总分 ${item.meta.score || "—"} · ${item.meta.grade || ""}`;
      const excerpt = document.createElement("span");
      excerpt.className = "excerpt";
      excerpt.appendChild(excerptNodes(item.excerpt || ""));
      li.append(link, meta, excerpt);
      return li;
    }),
  );
  const shown = Math.min(search.results.length, PAGE_SIZE);
  status.textContent = search.results.length
    ? `找到 ${search.results.length} 个项目${search.results.length > shown ? `,显示前 ${shown} 个` : ""}。`
    : "没有找到匹配的项目。";
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const params = new URLSearchParams(new FormData(form));
  history.replaceState(null, "", `?${params}`);
  run();
});
form.querySelectorAll("select").forEach((select) => select.addEventListener("change", run));

const initial = new URLSearchParams(location.search);
input.value = initial.get("q") || "";
for (const [name, value] of initial) {
  const select = form.querySelector(`select[name="${CSS.escape(name)}"]`);
  if (select) select.value = value;
}
run();
