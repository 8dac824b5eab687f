/**
 * The sidebar: a header (where the next question goes, who answers, `%ask config`, clear),
 * one conversation per notebook (kept in the state database: see store.ts), and an input box:
 * Enter sends, Shift+Enter breaks the line, Up/Down recall earlier prompts, Escape clears,
 * `@cell` or the paperclip attaches the active cell, and Stop interrupts the kernel.
 */

import { isDisplayData } from '@jupyterlab/nbformat';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { KernelMessage } from '@jupyterlab/services';
import { IStateDB } from '@jupyterlab/statedb';
import { PartialJSONValue } from '@lumino/coreutils';
import { Panel, Widget } from '@lumino/widgets';

import {
  addTurn,
  applyReply,
  busy,
  Conversation,
  EMPTY,
  finishTurn,
  KernelOutcome,
  Turn
} from './conversation';
import { historyOf, PromptHistory, recall } from './history';
import { Trans } from './i18n';
import { classifyIOPub, worthRendering } from './iopub';
import { ChatTarget, KernelSource } from './kernel';
import { caretOf, keyAction, proseToSend } from './keys';
import { CELL_MENTION, parseMentions } from './mentions';
import { AskRequest, Request, requestCode } from './protocol';
import { fromStored, promptsOf, storageKey, StoredTurn, toStored } from './store';
import { headerText } from './target';
import { element, TurnView } from './turn';

let counter = 0;

function newId(): string {
  counter += 1;
  return `${Date.now().toString(36)}-${counter}`;
}

/** One notebook's conversation, its views and its log. */
class Thread {
  constructor(
    public path: string | null,
    intro: string
  ) {
    this.log.addClass('aigc-chat-log');
    this.log.addWidget(new Widget({ node: element('div', 'aigc-chat-intro', intro) }));
  }
  conversation: Conversation = EMPTY;
  views = new Map<string, TurnView>();
  kernels = new Map<string, ChatTarget['kernel']>();
  log = new Panel();
  loaded: Promise<void> = Promise.resolve();
}

export interface ChatPanelOptions {
  kernels: KernelSource;
  state: IStateDB;
  trans: Trans;
  /** Renders restored turns (their kernel's rendermime may be gone). */
  rendermime: IRenderMimeRegistry;
}

export class ChatPanel extends Panel {
  constructor(options: ChatPanelOptions) {
    super();
    const trans = options.trans;
    this._trans = trans;
    this._kernels = options.kernels;
    this._state = options.state;
    this._rendermime = options.rendermime;
    this.id = 'aigc-magic-chat';
    this.addClass('aigc-chat');
    this.title.caption = trans.__('aigc-magic chat: ask for a compute task in words');

    const header = new Widget({ node: element('div', 'aigc-chat-header') });
    this._where = element('div', 'aigc-chat-where');
    const who = element('div', 'aigc-chat-who');
    this._planner = element('span', 'aigc-chat-planner');
    const config = element('a', 'aigc-chat-config', '%ask config');
    config.href = '#';
    config.title = trans.__(
      'Show the LLM settings and where each came from (runs %ask config in the notebook)'
    );
    config.onclick = event => {
      event.preventDefault();
      void this._kernels.run('%ask config');
    };
    const clear = element('button', 'jp-Button aigc-chat-clear', trans.__('Clear'));
    clear.title = trans.__("Clear this notebook's conversation");
    clear.onclick = () => void this.clear();
    who.append(this._planner, config, clear);
    this._warning = element('div', 'aigc-chat-warning');
    header.node.append(this._where, who, this._warning);

    this._logs = new Panel();
    this._logs.addClass('aigc-chat-logs');
    this._intro = trans.__(
      "Ask for a compute task in English or Chinese, e.g. “计算10000以内的所有质数”. It runs in the active notebook's kernel, so you can name its variables. Type @cell to ask about the active cell."
    );

    const box = element('div', 'aigc-chat-input');
    this._input = element('textarea', 'aigc-chat-textarea jp-mod-styled');
    this._input.rows = 3;
    this._input.placeholder = trans.__(
      'Ask… (Enter sends, Shift+Enter breaks the line, ↑ recalls, Esc clears)'
    );
    this._input.addEventListener('keydown', event => this._onKey(event));
    const buttons = element('div', 'aigc-chat-buttons');
    const attach = element('button', 'jp-Button aigc-chat-attach', trans.__('@cell'));
    attach.title = trans.__('Ask about the active cell: attach its code and its error');
    attach.onclick = () => this._attachCell();
    const send = element('button', 'jp-Button jp-mod-accept aigc-chat-send', trans.__('Send'));
    send.onclick = () => this._send();
    this._stop = element('button', 'jp-Button jp-mod-warn aigc-chat-stop', trans.__('Stop'));
    this._stop.title = trans.__('Stop the running question (planning, streaming or running)');
    this._stop.onclick = () => void this.stop();
    this._stop.hidden = true;
    buttons.append(attach, send, this._stop);
    box.append(this._input, buttons);

    this.addWidget(header);
    this.addWidget(this._logs);
    this.addWidget(new Widget({ node: box }));
    this._kernels.changed.connect(this._onChanged, this);
    this._kernels.renamed.connect(this._onRenamed, this);
    this._onChanged();
  }

  /** The conversation shown now (for tests and for other extensions to read). */
  get conversation(): Conversation {
    return this._current().conversation;
  }

  /** Send `prose` as a question (`@cell` attaches the active cell). */
  ask(text: string): void {
    const { prose, cell } = parseMentions(text);
    const request: AskRequest = { kind: 'ask', id: newId(), prose: prose || text };
    if (cell) {
      const context = this._kernels.activeCell();
      if (context !== null) {
        request.cell = context;
      }
    }
    this._history = null;
    this._start(request, text);
  }

  /** Interrupt the kernel of the newest question still running in this conversation. */
  async stop(): Promise<void> {
    const thread = this._current();
    const running = [...thread.conversation.turns].reverse().find(turn => !turn.finished);
    const kernel = running === undefined ? undefined : thread.kernels.get(running.id);
    if (kernel !== undefined) {
      await this._kernels.interrupt(kernel);
    }
  }

  /** Forget this notebook's conversation, here and in the state database. */
  async clear(): Promise<void> {
    const thread = this._current();
    // a question still running keeps its view until it ends
    for (const turn of thread.conversation.turns.filter(turn => turn.finished)) {
      thread.views.get(turn.id)?.dispose();
      thread.views.delete(turn.id);
    }
    thread.conversation = { turns: thread.conversation.turns.filter(turn => !turn.finished) };
    this._history = null;
    await this._save(thread);
    this._update();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._kernels.changed.disconnect(this._onChanged, this);
    this._kernels.renamed.disconnect(this._onRenamed, this);
    super.dispose();
  }

  private _current(): Thread {
    const path = this._kernels.path;
    const key = storageKey(path);
    let thread = this._threads.get(key);
    if (thread === undefined) {
      thread = new Thread(path, this._intro);
      this._threads.set(key, thread);
      thread.loaded = this._load(thread);
    }
    return thread;
  }

  private async _load(thread: Thread): Promise<void> {
    const lost = {
      error: 'KernelLost',
      message: this._trans.__('The page was reloaded before this answer arrived. Ask again.'),
      code: null
    };
    let stored: StoredTurn[] = [];
    try {
      stored = fromStored(await this._state.fetch(storageKey(thread.path)), lost);
    } catch (reason) {
      console.warn('aigc-magic: could not read the stored conversation', reason);
    }
    const live = thread.conversation.turns;
    thread.conversation = { turns: [...stored.map(s => s.turn), ...live] };
    for (const { turn, outputs } of stored) {
      const view = this._viewFor(thread, turn, Promise.resolve(this._rendermime));
      void view.restoreOutputs(outputs);
    }
    for (const turn of live) {
      const view = thread.views.get(turn.id);
      if (view !== undefined) {
        thread.log.addWidget(view); // keep the live ones after the restored ones
      }
    }
    this._update();
    this._scroll(thread);
  }

  private async _save(thread: Thread): Promise<void> {
    const turns = thread.conversation.turns.map(turn => ({
      turn,
      outputs: thread.views.get(turn.id)?.outputsForStore() ?? []
    }));
    const key = storageKey(thread.path);
    try {
      if (turns.length === 0) {
        await this._state.remove(key);
      } else {
        await this._state.save(key, toStored(turns) as unknown as PartialJSONValue);
      }
    } catch (reason) {
      console.warn('aigc-magic: could not store the conversation', reason);
    }
  }

  private _viewFor(thread: Thread, turn: Turn, rendermime: Promise<IRenderMimeRegistry>): TurnView {
    const view = new TurnView(
      turn,
      rendermime,
      {
        insert: code => void this._kernels.insert(code),
        run: code => void this._kernels.run(code),
        allow: askId =>
          this._start({ kind: 'run', id: newId(), ask_id: askId }, this._trans.__('Run it anyway.'))
      },
      this._trans
    );
    thread.views.set(turn.id, view);
    thread.log.addWidget(view);
    return view;
  }

  private _onChanged(): void {
    const thread = this._current();
    if (this._shownThread !== thread) {
      this._shownThread?.log.hide();
      if (thread.log.parent !== this._logs) {
        this._logs.addWidget(thread.log);
      }
      thread.log.show();
      this._shownThread = thread;
      this._history = null;
    }
    this._update();
  }

  private _onRenamed(_source: KernelSource, change: { from: string; to: string }): void {
    const from = storageKey(change.from);
    const thread = this._threads.get(from);
    if (thread === undefined) {
      return;
    }
    this._threads.delete(from);
    thread.path = change.to;
    this._threads.set(storageKey(change.to), thread);
    void this._state.remove(from).then(() => this._save(thread));
  }

  private _update(): void {
    const text = headerText(this._kernels.state, this._trans);
    this._where.textContent = text.kernel;
    this._planner.textContent = text.planner;
    this._warning.textContent = text.warning ?? '';
    this._warning.hidden = text.warning === null;
    this._stop.hidden = !busy(this._current().conversation);
  }

  private _onKey(event: KeyboardEvent): void {
    const input = this._input;
    const caret = caretOf(input.value, input.selectionStart, input.selectionEnd);
    const action = keyAction(event, caret);
    switch (action) {
      case 'send':
        event.preventDefault();
        this._send();
        break;
      case 'previous':
      case 'next': {
        const history = this._history ?? historyOf(this._prompts());
        const step = recall(history, action, input.value);
        if (step !== null) {
          event.preventDefault();
          this._history = step.history;
          input.value = step.text;
          input.setSelectionRange(step.text.length, step.text.length);
        }
        break;
      }
      case 'clear':
        event.preventDefault();
        input.value = '';
        this._history = null;
        break;
      default:
        break;
    }
  }

  private _prompts(): string[] {
    const turns = this._current().conversation.turns;
    return promptsOf(turns.map(turn => ({ turn, outputs: [] })));
  }

  private _attachCell(): void {
    const input = this._input;
    if (!parseMentions(input.value).cell) {
      input.value = `${CELL_MENTION} ${input.value}`;
    }
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }

  private _send(): void {
    const prose = proseToSend(this._input.value);
    if (prose === null) {
      return;
    }
    this._input.value = '';
    this.ask(prose);
  }

  private _start(request: Request, prose: string): void {
    const thread = this._current();
    thread.conversation = addTurn(thread.conversation, request, prose);
    const turn = thread.conversation.turns[thread.conversation.turns.length - 1];
    const target = this._kernels.target();
    const view = this._viewFor(
      thread,
      turn,
      target.then(t => t.rendermime)
    );
    this._update();
    this._scroll(thread);
    void this._execute(thread, request, view, target);
  }

  private async _execute(
    thread: Thread,
    request: Request,
    view: TurnView,
    targetPromise: Promise<ChatTarget>
  ): Promise<void> {
    let outcome: KernelOutcome = { status: 'ok' };
    const set = (conversation: Conversation): void => {
      thread.conversation = conversation;
      for (const turn of conversation.turns) {
        thread.views.get(turn.id)?.render(turn);
      }
    };
    try {
      const target = await targetPromise;
      thread.kernels.set(request.id, target.kernel);
      this._update();
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
            set(applyReply(thread.conversation, event.reply));
            if (event.reply.kind !== 'token' && event.reply.kind !== 'status') {
              void this._save(thread);
            }
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
        this._scroll(thread);
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
    set(finishTurn(thread.conversation, request.id, outcome, this._trans));
    thread.kernels.delete(request.id);
    this._update();
    this._scroll(thread);
    this._kernels.refresh();
    // the widgets' last state settles a moment after the request ends
    window.setTimeout(() => void this._save(thread), 250);
  }

  private _scroll(thread: Thread): void {
    requestAnimationFrame(() => {
      thread.log.node.scrollTop = thread.log.node.scrollHeight;
    });
  }

  private _trans: Trans;
  private _kernels: KernelSource;
  private _state: IStateDB;
  private _rendermime: IRenderMimeRegistry;
  private _where: HTMLElement;
  private _planner: HTMLElement;
  private _warning: HTMLElement;
  private _logs: Panel;
  private _intro: string;
  private _input: HTMLTextAreaElement;
  private _stop: HTMLButtonElement;
  private _history: PromptHistory | null = null;
  private _threads = new Map<string, Thread>();
  private _shownThread: Thread | null = null;
}
