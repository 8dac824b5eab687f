// The code block of aigc-magic's answer card (an anywidget ESM module; see card.py).
//
// "Copy" writes the code to the clipboard: navigator.clipboard where the page is a secure
// context (https, localhost, 127.0.0.1), else a hidden textarea and execCommand("copy").
//
// "Insert as new cell", in order:
//   1. dispatch a cancelable, bubbling "aigc-magic:insert-cell" DOM event ({code, anchor});
//      a JupyterLab extension that handles it calls preventDefault() and is done;
//   2. in JupyterLab 4 / Notebook 7, ipywidgets' notebook widget manager knows its document
//      (manager.context.model.sharedModel): insert a code cell below the cell whose outputs
//      show the card (found by the card's model id, `anchor`);
//   3. anywhere else (VS Code, a console, a static page): copy, and say "paste it".

function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(text);
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  return ok ? Promise.resolve() : Promise.reject(new Error("the browser refused to copy"));
}

function sharedNotebook(model) {
  const manager = model.widget_manager;
  const context = manager && manager.context;
  const shared = context && context.model && context.model.sharedModel;
  if (shared && Array.isArray(shared.cells) && typeof shared.insertCell === "function") {
    return shared;
  }
  return null;
}

function cellIndex(notebook, anchor, el) {
  if (anchor) {
    const index = notebook.cells.findIndex(
      (cell) =>
        cell.cell_type === "code" &&
        typeof cell.getOutputs === "function" &&
        JSON.stringify(cell.getOutputs()).includes(anchor),
    );
    if (index >= 0) return index;
  }
  const node = el.closest("[data-windowed-list-index]");
  return node ? Number(node.getAttribute("data-windowed-list-index")) : -1;
}

function insertBelow(model, el, code) {
  const anchor = model.get("anchor");
  const event = new CustomEvent("aigc-magic:insert-cell", {
    bubbles: true,
    cancelable: true,
    detail: { code, anchor },
  });
  if (!el.dispatchEvent(event)) return true;
  const notebook = sharedNotebook(model);
  if (!notebook) return false;
  const index = cellIndex(notebook, anchor, el);
  const at = index >= 0 ? index + 1 : notebook.cells.length;
  notebook.insertCell(at, { cell_type: "code", source: code, metadata: {} });
  return true;
}

function makeButton(kind) {
  const button = document.createElement("button");
  button.className = `jupyter-widgets jupyter-button widget-button aigc-${kind}`;
  button.type = "button";
  return button;
}

function render({ model, el }) {
  el.classList.add("aigc-codeblock");
  const details = document.createElement("details");
  const summary = document.createElement("summary");
  const title = document.createElement("span");
  const actions = document.createElement("span");
  actions.className = "aigc-code-actions";
  const copy = makeButton("copy");
  const insert = makeButton("insert");
  const status = document.createElement("span");
  status.className = "aigc-code-status";
  status.setAttribute("role", "status");
  actions.append(copy, insert, status);
  summary.append(title, actions);
  const pre = document.createElement("pre");
  pre.className = "aigc-code";
  details.append(summary, pre);
  el.append(details);

  let timer = 0;
  const say = (text) => {
    status.textContent = text;
    window.clearTimeout(timer);
    timer = window.setTimeout(() => (status.textContent = ""), 4000);
  };
  const labels = () => model.get("labels") || {};
  const update = () => {
    const l = labels();
    title.textContent = l.code || "Code";
    copy.textContent = l.copy || "Copy";
    insert.textContent = l.insert || "Insert as new cell";
    pre.textContent = model.get("code");
  };
  update();
  model.on("change:code", update);
  model.on("change:labels", update);

  const onCopy = async (event) => {
    event.preventDefault(); // a button inside <summary> must not toggle the block
    event.stopPropagation();
    try {
      await copyText(model.get("code"));
      say(labels().copied || "Copied");
    } catch (error) {
      say(String(error));
    }
  };
  const onInsert = async (event) => {
    event.preventDefault();
    event.stopPropagation();
    try {
      if (insertBelow(model, el, model.get("code"))) {
        say(labels().inserted || "Inserted below");
        return;
      }
      await copyText(model.get("code"));
      say(labels().insert_fallback || "Copied: paste it into a new cell");
    } catch (error) {
      say(String(error));
    }
  };
  copy.addEventListener("click", onCopy);
  insert.addEventListener("click", onInsert);
  return () => {
    window.clearTimeout(timer);
    model.off("change:code", update);
    model.off("change:labels", update);
    copy.removeEventListener("click", onCopy);
    insert.removeEventListener("click", onInsert);
  };
}

export default { render };
