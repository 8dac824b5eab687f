/**
 * The sidebar: the conversation, an input box (Enter sends, Shift+Enter breaks the line),
 * replies as they stream in, outputs through the target kernel's rendermime (widgets
 * included), and code blocks that can be inserted or run in the notebook.
 */

import { isDisplayData } from '@jupyterlab/nbformat';
import { OutputArea, OutputAreaModel } from '@jupyterlab/outputarea';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { KernelMessage } from '@jupyterlab/services';
import { Panel, Widget } from '@lumino/widgets';

import {
  addTurn,
  applyReply,
  codeOf,
  Conversation,
  EMPTY,
  finishTurn,
  KernelOutcome,
  Turn
} from './conversation';
import { classifyIOPub, worthRendering } from './iopub';
import { ChatTarget, KernelSource } from './kernel';
import { keyAction, proseToSend } from './keys';
import { Request, requestCode } from './protocol';

let counter = 0;

function newId(): string {
  counter += 1;
  return `${Date.now().toString(36)}-${counter}`;
}

function element<K extends keyof HTMLElementTagNameMap>(
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

/** Render `markdown` with `rendermime` into a fresh widget. */
async function markdown(rendermime: IRenderMimeRegistry, text: string): Promise<Widget> {
  const renderer = rendermime.createRenderer('text/markdown');
  await renderer.renderModel(
    rendermime.createModel({ data: { 'text/markdown': text }, trusted: false })
  );
  return renderer;
}

/** One question and its reply. */
class TurnView extends Panel {
  constructor(turn: Turn, target: Promise<ChatTarget>, actions: CodeActions) {
    super();
    this.addClass('aigc-chat-turn');
    this.node.dataset.turnId = turn.id;
    this._actions = actions;
    this._target = target;

    const question = new Widget({ node: element('div', 'aigc-chat-question', turn.prose) });
    this._status = element('div', 'aigc-chat-status');
    this._tokens = element('pre', 'aigc-chat-tokens');
    const head = new Widget();
    head.addClass('aigc-chat-reply-head');
    head.node.append(this._status, this._tokens);
    this._outputs = new Panel();
    this._outputs.addClass('aigc-chat-outputs');
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
    if (this._area === null) {
      const { rendermime } = await this._target;
      const area = new OutputArea({ model: new OutputAreaModel({ trusted: true }), rendermime });
      this._outputs.addWidget(area);
      this._area = area;
    }
    const { rendermime } = await this._target;
    return { area: this._area, rendermime };
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
    const { rendermime } = await this._target.catch(() => ({ rendermime: null }));
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
        this._body.addWidget(
          new Widget({ node: element('pre', 'aigc-chat-value', answer.value_repr) })
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
        const button = element('button', 'jp-Button aigc-chat-allow', 'Run it anyway');
        button.onclick = () => {
          button.disabled = true;
          this._actions.allow(turn.id);
        };
        node.append(button);
      }
      this._body.addWidget(new Widget({ node }));
    } else if (turn.error !== null) {
      const node = element('pre', 'aigc-chat-error', turn.error.message);
      node.dataset.error = turn.error.error;
      this._body.addWidget(new Widget({ node }));
    }
    if (code !== null && code !== '' && rendermime !== null) {
      this._body.addWidget(await this._codeBlock(rendermime, code));
    }
  }

  private async _codeBlock(rendermime: IRenderMimeRegistry, code: string): Promise<Widget> {
    const block = new Panel();
    block.addClass('aigc-chat-code');
    const bar = element('div', 'aigc-chat-code-actions');
    const insert = element('button', 'jp-Button aigc-chat-insert', 'Insert as a cell below');
    insert.title = 'Insert this code as a cell below the active cell of the notebook';
    insert.onclick = () => this._actions.insert(code);
    const run = element('button', 'jp-Button aigc-chat-run', 'Run in the notebook');
    run.title = 'Insert this code as a cell below and run it in the notebook';
    run.onclick = () => this._actions.run(code);
    bar.append(insert, run);
    block.addWidget(new Widget({ node: bar }));
    const fence = '`'.repeat(Math.max(3, ...(code.match(/`+/g) ?? []).map(s => s.length + 1)));
    block.addWidget(await markdown(rendermime, `${fence}python\n${code}\n${fence}`));
    return block;
  }

  private _actions: CodeActions;
  private _target: Promise<ChatTarget>;
  private _status: HTMLElement;
  private _tokens: HTMLElement;
  private _outputs: Panel;
  private _body: Panel;
  private _area: OutputArea | null = null;
  private _shown: object | null = null;
}

interface CodeActions {
  insert(code: string): void;
  run(code: string): void;
  allow(askId: string): void;
}

export class ChatPanel extends Panel {
  constructor(kernels: KernelSource) {
    super();
    this.id = 'aigc-magic-chat';
    this.addClass('aigc-chat');
    this.title.caption = 'aigc-magic chat: ask for a compute task in words';
    this._kernels = kernels;

    this._header = element('div', 'aigc-chat-header');
    const header = new Widget({ node: this._header });
    this._log = new Panel();
    this._log.addClass('aigc-chat-log');
    const intro = element(
      'div',
      'aigc-chat-intro',
      'Ask for a compute task in English or Chinese, e.g. “计算10000以内的所有质数”. ' +
        "It runs in the active notebook's kernel, so you can name its variables."
    );
    this._log.addWidget(new Widget({ node: intro }));

    const box = element('div', 'aigc-chat-input');
    this._input = element('textarea', 'aigc-chat-textarea jp-mod-styled');
    this._input.rows = 3;
    this._input.placeholder = 'Ask… (Enter sends, Shift+Enter breaks the line)';
    this._input.addEventListener('keydown', event => this._onKey(event));
    const send = element('button', 'jp-Button jp-mod-accept aigc-chat-send', 'Send');
    send.onclick = () => this._send();
    box.append(this._input, send);

    this.addWidget(header);
    this.addWidget(this._log);
    this.addWidget(new Widget({ node: box }));
    this._kernels.changed.connect(this._describe, this);
    this._describe();
  }

  /** The conversation so far (for tests and for other extensions to read). */
  get conversation(): Conversation {
    return this._conversation;
  }

  /** Send `prose` as a question. */
  ask(prose: string): void {
    this._start({ kind: 'ask', id: newId(), prose }, prose);
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._kernels.changed.disconnect(this._describe, this);
    super.dispose();
  }

  private _onKey(event: KeyboardEvent): void {
    const action = keyAction(event);
    if (action === 'send') {
      event.preventDefault();
      this._send();
    }
  }

  private _send(): void {
    const prose = proseToSend(this._input.value);
    if (prose === null) {
      return;
    }
    this._input.value = '';
    this.ask(prose);
  }

  private _describe(): void {
    this._header.textContent = `Kernel: ${this._kernels.describe()}`;
  }

  private _start(request: Request, prose: string): void {
    this._setConversation(addTurn(this._conversation, request, prose));
    const target = this._kernels.target();
    const turn = this._conversation.turns[this._conversation.turns.length - 1];
    const view = new TurnView(turn, target, {
      insert: code => void this._kernels.insert(code),
      run: code => void this._kernels.run(code),
      allow: askId => this._start({ kind: 'run', id: newId(), ask_id: askId }, 'Run it anyway.')
    });
    this._views.set(request.id, view);
    this._log.addWidget(view);
    this._scroll();
    void this._execute(request, target, view);
  }

  private async _execute(
    request: Request,
    targetPromise: Promise<ChatTarget>,
    view: TurnView
  ): Promise<void> {
    let outcome: KernelOutcome = { status: 'ok' };
    try {
      const target = await targetPromise;
      this._describe();
      const { area, rendermime } = await view.outputArea();
      const displays = new Map<string, number[]>();
      const future = target.kernel.requestExecute({
        code: requestCode(request),
        silent: false,
        store_history: false,
        allow_stdin: false,
        stop_on_error: false
      });
      future.onIOPub = (message: KernelMessage.IIOPubMessage) => {
        const event = classifyIOPub(message);
        switch (event.type) {
          case 'reply':
            this._setConversation(applyReply(this._conversation, event.reply));
            break;
          case 'output': {
            const output = event.output;
            const preferred = isDisplayData(output)
              ? rendermime.preferredMimeType(output.data, 'any')
              : undefined;
            if (worthRendering(output, preferred)) {
              const index = area.model.length;
              area.model.add(output);
              if (event.displayId !== null) {
                displays.set(event.displayId, [...(displays.get(event.displayId) ?? []), index]);
              }
            }
            break;
          }
          case 'update':
            for (const index of displays.get(event.displayId) ?? []) {
              area.model.set(index, event.output);
            }
            break;
          case 'clear':
            area.model.clear(event.wait);
            displays.clear();
            break;
          case 'kernel-error':
            outcome = { status: 'error', ename: event.ename, evalue: event.evalue };
            break;
          case 'ignore':
            break;
        }
        this._scroll();
      };
      const reply = await future.done;
      const status = reply.content.status;
      if (status === 'aborted') {
        outcome = { status: 'aborted' };
      } else if (status === 'error' && outcome.status === 'ok') {
        outcome = { status: 'error', ename: reply.content.ename, evalue: reply.content.evalue };
      }
    } catch (reason) {
      const message = reason instanceof Error ? reason.message : String(reason);
      outcome = message.includes('Canceled')
        ? { status: 'lost' }
        : { status: 'error', ename: 'Error', evalue: message };
    }
    this._setConversation(finishTurn(this._conversation, request.id, outcome));
    this._scroll();
  }

  private _setConversation(conversation: Conversation): void {
    this._conversation = conversation;
    for (const turn of conversation.turns) {
      this._views.get(turn.id)?.render(turn);
    }
  }

  private _scroll(): void {
    requestAnimationFrame(() => {
      this._log.node.scrollTop = this._log.node.scrollHeight;
    });
  }

  private _kernels: KernelSource;
  private _header: HTMLElement;
  private _log: Panel;
  private _input: HTMLTextAreaElement;
  private _conversation: Conversation = EMPTY;
  private _views = new Map<string, TurnView>();
}
