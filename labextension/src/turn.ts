/**
 * One question and its reply in the sidebar: the prose (and the cell it attached), the status
 * line and the streamed tokens while it runs, the outputs of the request through the target
 * kernel's rendermime (widgets included), then the answer, the held-back code or the error,
 * with the code and its two actions. Long blocks fold.
 */

import type * as nbformat from '@jupyterlab/nbformat';
import { OutputArea, OutputAreaModel } from '@jupyterlab/outputarea';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { Panel, Widget } from '@lumino/widgets';

import { codeOf, Turn } from './conversation';
import { shouldFold, shouldFoldHeight } from './fold';
import { Trans } from './i18n';
import { WIDGET_MIMETYPE } from './iopub';
import { snapshotOf, storableOutput } from './store';

export interface CodeActions {
  insert(code: string): void;
  run(code: string): void;
  allow(askId: string): void;
}

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/** Render `text` as markdown with `rendermime` into a fresh widget. */
async function markdown(rendermime: IRenderMimeRegistry, text: string): Promise<Widget> {
  const renderer = rendermime.createRenderer('text/markdown');
  await renderer.renderModel(
    rendermime.createModel({ data: { 'text/markdown': text }, trusted: false })
  );
  return renderer;
}

/** Fold `node` behind a "Show all" toggle (added after it) when `fold` says so. */
function foldable(node: HTMLElement, fold: boolean, trans: Trans): HTMLElement {
  const box = element('div', 'aigc-chat-foldable');
  box.append(node);
  if (fold) {
    setFolded(box, true, trans);
  }
  return box;
}

function setFolded(box: HTMLElement, folded: boolean, trans: Trans): void {
  box.classList.toggle('aigc-chat-folded', folded);
  let toggle = box.querySelector<HTMLButtonElement>(':scope > .aigc-chat-fold-toggle');
  if (toggle === null) {
    toggle = element('button', 'aigc-chat-fold-toggle');
    toggle.onclick = () => {
      setFolded(box, !box.classList.contains('aigc-chat-folded'), trans);
    };
    box.append(toggle);
  }
  toggle.textContent = folded ? trans.__('Show all ▾') : trans.__('Fold ▴');
}

export class TurnView extends Panel {
  constructor(
    turn: Turn,
    rendermime: Promise<IRenderMimeRegistry>,
    actions: CodeActions,
    trans: Trans
  ) {
    super();
    this.addClass('aigc-chat-turn');
    this.node.dataset.turnId = turn.id;
    this._actions = actions;
    this._rendermime = rendermime;
    this._trans = trans;

    const question = new Widget({ node: element('div', 'aigc-chat-question', turn.prose) });
    const cell = turn.request.kind === 'ask' ? turn.request.cell : undefined;
    if (cell !== undefined) {
      const attached = element('details', 'aigc-chat-attached');
      const failed = cell.error === null ? '' : ` · ${cell.error.ename}`;
      attached.append(
        element('summary', '', trans.__('Attached: the active cell%1', failed)),
        element('pre', 'aigc-chat-attached-code', cell.code)
      );
      question.node.append(attached);
    }
    this._status = element('div', 'aigc-chat-status');
    this._tokens = element('pre', 'aigc-chat-tokens');
    const head = new Widget();
    head.addClass('aigc-chat-reply-head');
    head.node.append(this._status, this._tokens);
    this._outputs = new Panel();
    this._outputs.addClass('aigc-chat-outputs');
    this._outputs.addClass('aigc-chat-foldable');
    this._body = new Panel();
    this._body.addClass('aigc-chat-body');
    this.addWidget(question);
    this.addWidget(head);
    this.addWidget(this._outputs);
    this.addWidget(this._body);
    this.render(turn);
  }

  /** The output area for this turn's outputs, made with the target's rendermime. */
  async outputArea(): Promise<{ area: OutputArea; rendermime: IRenderMimeRegistry }> {
    const rendermime = await this._rendermime;
    if (this._area === null) {
      const area = new OutputArea({ model: new OutputAreaModel({ trusted: true }), rendermime });
      this._outputs.addWidget(area);
      this._area = area;
      area.model.changed.connect(() => this.refold());
    }
    return { area: this._area, rendermime };
  }

  /** Show outputs kept from an earlier page (widgets are text snapshots by then). */
  async restoreOutputs(outputs: readonly nbformat.IOutput[]): Promise<void> {
    if (outputs.length === 0) {
      return;
    }
    const { area } = await this.outputArea();
    for (const output of outputs) {
      area.model.add(output);
    }
  }

  /** The outputs to store: each widget as the text it shows now. */
  outputsForStore(): nbformat.IOutput[] {
    const area = this._area;
    if (area === null) {
      return [];
    }
    const outputs: nbformat.IOutput[] = [];
    const tooBig = this._trans.__('(a large output, not kept after a reload)');
    for (let i = 0; i < area.model.length; i++) {
      const output = area.model.get(i).toJSON();
      const data = (output as nbformat.IDisplayData).data;
      if (typeof data === 'object' && data !== null && WIDGET_MIMETYPE in data) {
        const shown = area.widgets[i]?.node.innerText ?? '';
        outputs.push(snapshotOf(shown, this._trans.__('Widget as last shown')));
      } else {
        outputs.push(storableOutput(output, tooBig));
      }
    }
    return outputs;
  }

  /** Fold the outputs when they grew taller than a few lines (measured after layout). */
  refold(): void {
    requestAnimationFrame(() => {
      const node = this._outputs.node;
      if (!node.classList.contains('aigc-chat-fold-done') && shouldFoldHeight(node.scrollHeight)) {
        node.classList.add('aigc-chat-fold-done');
        setFolded(node, true, this._trans);
      }
    });
  }

  render(turn: Turn): void {
    this.toggleClass('aigc-chat-busy', !turn.finished);
    this._status.textContent = turn.finished && turn.answer !== null ? '' : turn.status;
    this._status.hidden = this._status.textContent === '';
    this._tokens.textContent = turn.tokens;
    this._tokens.hidden = turn.tokens === '' || turn.answer !== null;
    const shown = turn.answer ?? turn.consent ?? turn.error;
    if (shown !== this._shown) {
      this._shown = shown;
      void this._renderBody(turn);
    }
  }

  private async _renderBody(turn: Turn): Promise<void> {
    const rendermime = await this._rendermime.catch(() => null);
    const trans = this._trans;
    for (const child of [...this._body.widgets]) {
      child.dispose();
    }
    const code = codeOf(turn);
    if (turn.answer !== null && rendermime !== null) {
      const answer = turn.answer;
      const words = await markdown(rendermime, answer.explanation);
      words.addClass('aigc-chat-answer');
      this._body.addWidget(words);
      if (answer.value_repr !== null) {
        const value = element('pre', 'aigc-chat-value', answer.value_repr);
        this._body.addWidget(
          new Widget({ node: foldable(value, shouldFold(answer.value_repr), trans) })
        );
      }
      if (answer.notices.length > 0) {
        this._body.addWidget(
          new Widget({ node: element('div', 'aigc-chat-notices', answer.notices.join('\n')) })
        );
      }
    } else if (turn.consent !== null) {
      const consent = turn.consent;
      const node = element('div', 'aigc-chat-consent');
      node.append(element('pre', 'aigc-chat-consent-message', consent.message));
      if (consent.can_run) {
        const button = element('button', 'jp-Button aigc-chat-allow', trans.__('Run it anyway'));
        button.onclick = () => {
          button.disabled = true;
          this._actions.allow(turn.id);
        };
        node.append(button);
      }
      this._body.addWidget(new Widget({ node }));
    } else if (turn.error !== null) {
      const stopped = turn.error.error === 'KeyboardInterrupt';
      const text = stopped
        ? trans.__('Stopped. The kernel is ready for the next question.')
        : turn.error.message;
      const node = element('pre', 'aigc-chat-error', text);
      node.dataset.error = turn.error.error;
      this._body.addWidget(new Widget({ node }));
    }
    if (code !== null && code !== '' && rendermime !== null) {
      this._body.addWidget(await this._codeBlock(rendermime, code));
    }
  }

  private async _codeBlock(rendermime: IRenderMimeRegistry, code: string): Promise<Widget> {
    const trans = this._trans;
    const block = new Panel();
    block.addClass('aigc-chat-code');
    const bar = element('div', 'aigc-chat-code-actions');
    const insert = element(
      'button',
      'jp-Button aigc-chat-insert',
      trans.__('Insert as a cell below')
    );
    insert.title = trans.__('Insert this code as a cell below the active cell of the notebook');
    insert.onclick = () => this._actions.insert(code);
    const run = element('button', 'jp-Button aigc-chat-run', trans.__('Run in the notebook'));
    run.title = trans.__('Insert this code as a cell below and run it in the notebook');
    run.onclick = () => this._actions.run(code);
    bar.append(insert, run);
    block.addWidget(new Widget({ node: bar }));
    const fence = '`'.repeat(Math.max(3, ...(code.match(/`+/g) ?? []).map(s => s.length + 1)));
    const rendered = await markdown(rendermime, `${fence}python\n${code}\n${fence}`);
    const holder = new Widget({ node: foldable(rendered.node, shouldFold(code), trans) });
    holder.disposed.connect(() => rendered.dispose());
    block.addWidget(holder);
    return block;
  }

  private _actions: CodeActions;
  private _rendermime: Promise<IRenderMimeRegistry>;
  private _trans: Trans;
  private _status: HTMLElement;
  private _tokens: HTMLElement;
  private _outputs: Panel;
  private _body: Panel;
  private _area: OutputArea | null = null;
  private _shown: object | null = null;
}
