/**
 * Where the chat's questions go: the active notebook's kernel, so prose can name the
 * notebook's variables, or — with no notebook open — a kernel the chat starts for itself.
 *
 * It follows the active notebook (`INotebookTracker.currentChanged`) and that notebook's
 * session (`kernelChanged`, `statusChanged`): after a page reload, a kernel restart or a
 * change of kernel it probes the kernel again (a silent execute request whose
 * `user_expressions` read PROBE_EXPRESSION), so the header always names the kernel and the
 * planner that will answer, or says that the kernel lacks aigc-magic. A cell run in the
 * notebook may change the settings (`%config AskMagics…`), so one probes again too.
 * Also the two things a code block offers: insert it as a cell below, run it in the notebook.
 */

import { ISessionContext } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookActions, NotebookPanel } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { Kernel, ServiceManager, Session } from '@jupyterlab/services';
import { CommandRegistry } from '@lumino/commands';
import { ISignal, Signal } from '@lumino/signaling';

import { cellContext } from './mentions';
import { CellContext, PROBE_EXPRESSION } from './protocol';
import { Probe, probeResult, TargetState } from './target';

/** A kernel to ask, and the rendermime that renders its outputs (widgets included). */
export interface ChatTarget {
  kernel: Kernel.IKernelConnection;
  rendermime: IRenderMimeRegistry;
  /** The conversation the question belongs to: the notebook's path, or null. */
  path: string | null;
}

export interface KernelSourceOptions {
  tracker: INotebookTracker;
  services: ServiceManager.IManager;
  rendermime: IRenderMimeRegistry;
  commands: CommandRegistry;
}

const AFTER_CELL_MS = 300; // cells run in a row: probe once, after the last

export class KernelSource {
  constructor(options: KernelSourceOptions) {
    this._tracker = options.tracker;
    this._services = options.services;
    this._rendermime = options.rendermime;
    this._commands = options.commands;
    this._tracker.currentChanged.connect(this._onCurrent, this);
    NotebookActions.executed.connect(this._onExecuted, this);
    this._onCurrent();
  }

  /** Emitted when the state (notebook, kernel, its status or the probe) changed. */
  get changed(): ISignal<KernelSource, void> {
    return this._changed;
  }

  /** Emitted with the old and new path when the active notebook is renamed. */
  get renamed(): ISignal<KernelSource, { from: string; to: string }> {
    return this._renamed;
  }

  /** The path of the active notebook, or null (the conversation with the own kernel). */
  get path(): string | null {
    return this._panel?.context.path ?? null;
  }

  /** Where the next question goes, for the header. */
  get state(): TargetState {
    const panel = this._panel;
    if (panel !== null) {
      const context = panel.sessionContext;
      const kernel = context.session?.kernel ?? null;
      return {
        notebook: panel.context.path,
        kernelName: kernel === null ? null : context.kernelDisplayName,
        status: kernel?.status ?? 'unknown',
        probe: this._probe
      };
    }
    const own = this._own?.kernel ?? null;
    return {
      notebook: null,
      kernelName: own === null ? null : (own.name ?? null),
      status: own?.status ?? 'unknown',
      probe: own === null ? { state: 'unknown' } : this._probe
    };
  }

  /** The active cell of the active notebook, as an ask attaches it; null if none. */
  activeCell(): CellContext | null {
    const cell = this._panel?.content.activeCell ?? null;
    if (cell === null) {
      return null;
    }
    const json = cell.model.toJSON();
    const outputs = json.cell_type === 'code' ? (json.outputs as never[]) : [];
    return cellContext(cell.model.sharedModel.getSource(), outputs);
  }

  /** The kernel for the next question (waits for the notebook's kernel to be ready). */
  async target(): Promise<ChatTarget> {
    const panel = this._panel;
    if (panel !== null) {
      await panel.sessionContext.ready;
      const kernel = panel.sessionContext.session?.kernel;
      if (kernel) {
        // the notebook's rendermime has the widget renderer of this notebook's kernel
        return { kernel, rendermime: panel.content.rendermime, path: panel.context.path };
      }
    }
    return this._ownTarget();
  }

  /** Interrupt `kernel` (the stop button): the request in it ends with KeyboardInterrupt. */
  async interrupt(kernel: Kernel.IKernelConnection): Promise<void> {
    if (!kernel.isDisposed) {
      await kernel.interrupt();
    }
  }

  /** Ask the current kernel again which planner will answer (after an ask, a %config). */
  refresh(): void {
    void this._runProbe();
  }

  /** Insert `code` as a cell below the active cell of the current notebook (or a new one). */
  async insert(code: string): Promise<NotebookPanel> {
    const panel = await this._notebook();
    const notebook = panel.content;
    NotebookActions.insertBelow(notebook);
    const cell = notebook.activeCell;
    if (cell !== null) {
      cell.model.sharedModel.setSource(code);
    }
    return panel;
  }

  /** Insert `code` as a cell below and run it in the notebook's kernel. */
  async run(code: string): Promise<boolean> {
    const panel = await this.insert(code);
    const context: ISessionContext = panel.sessionContext;
    await context.ready;
    return NotebookActions.run(panel.content, context);
  }

  dispose(): void {
    this._tracker.currentChanged.disconnect(this._onCurrent, this);
    NotebookActions.executed.disconnect(this._onExecuted, this);
    this._follow(null);
    window.clearTimeout(this._timer);
    const own = this._own;
    this._own = null;
    if (own !== null) {
      void own.shutdown().catch(() => own.dispose());
    }
  }

  private _onCurrent(): void {
    this._follow(this._tracker.currentWidget);
  }

  private _follow(panel: NotebookPanel | null): void {
    const old = this._panel;
    if (old === panel) {
      return;
    }
    if (old !== null) {
      old.sessionContext.kernelChanged.disconnect(this._onKernel, this);
      old.sessionContext.statusChanged.disconnect(this._onStatus, this);
      old.context.pathChanged.disconnect(this._onPath, this);
      old.disposed.disconnect(this._onCurrent, this);
    }
    this._panel = panel;
    this._path = panel?.context.path ?? null;
    this._probe = { state: 'unknown' };
    if (panel !== null) {
      panel.sessionContext.kernelChanged.connect(this._onKernel, this);
      panel.sessionContext.statusChanged.connect(this._onStatus, this);
      panel.context.pathChanged.connect(this._onPath, this);
      panel.disposed.connect(this._onCurrent, this);
      // after a reload the session connects later: probe once it is ready
      void panel.sessionContext.ready.then(() => {
        if (this._panel === panel) {
          void this._runProbe();
        }
      });
    }
    this._emit();
  }

  private _onKernel(): void {
    this._probe = { state: 'unknown' };
    this._stale = true;
    this._emit();
    if (this._panel?.sessionContext.session?.kernel?.status === 'idle') {
      void this._runProbe();
    }
  }

  private _onStatus(_context: ISessionContext, status: Kernel.Status): void {
    if (status === 'restarting' || status === 'autorestarting' || status === 'dead') {
      this._probe = { state: 'unknown' };
      this._stale = true;
    } else if (status === 'idle' && (this._stale || this._probe.state === 'unknown')) {
      void this._runProbe();
    }
    this._emit();
  }

  private _onPath(_context: unknown, path: string): void {
    const from = this._path;
    this._path = path;
    if (from !== null && from !== path) {
      this._renamed.emit({ from, to: path });
    }
    this._emit();
  }

  private _onExecuted(_sender: unknown, args: { notebook: unknown }): void {
    if (this._panel !== null && args.notebook === this._panel.content) {
      window.clearTimeout(this._timer);
      this._timer = window.setTimeout(() => void this._runProbe(), AFTER_CELL_MS);
    }
  }

  private _currentKernel(): Kernel.IKernelConnection | null {
    if (this._panel !== null) {
      return this._panel.sessionContext.session?.kernel ?? null;
    }
    return this._own?.kernel ?? null;
  }

  private async _runProbe(): Promise<void> {
    const kernel = this._currentKernel();
    if (kernel === null || kernel.isDisposed) {
      return;
    }
    if (this._probing) {
      this._again = true;
      return;
    }
    this._probing = true;
    this._stale = false;
    if (this._probe.state !== 'ready') {
      this._probe = { state: 'checking' };
      this._emit();
    }
    let probe: Probe;
    try {
      const future = kernel.requestExecute({
        code: '',
        silent: true,
        store_history: false,
        allow_stdin: false,
        stop_on_error: false,
        user_expressions: { aigc: PROBE_EXPRESSION }
      });
      const reply = await future.done;
      const content = reply.content;
      probe =
        content.status === 'ok'
          ? probeResult(content.user_expressions.aigc)
          : { state: 'failed', message: content.status };
    } catch {
      probe = { state: 'unknown' }; // the kernel went away meanwhile: the next change probes
    }
    this._probing = false;
    if (this._currentKernel() === kernel) {
      this._probe = probe;
      this._emit();
    }
    if (this._again || this._currentKernel() !== kernel) {
      this._again = false;
      void this._runProbe();
    }
  }

  private async _notebook(): Promise<NotebookPanel> {
    const current = this._tracker.currentWidget;
    if (current !== null) {
      return current;
    }
    const created = (await this._commands.execute('notebook:create-new', {
      kernelName: await this._kernelName()
    })) as NotebookPanel;
    await created.context.ready;
    return created;
  }

  private async _ownTarget(): Promise<ChatTarget> {
    if (this._own === null || this._own.isDisposed || !this._own.kernel) {
      this._own = await this._services.sessions.startNew({
        path: `aigc-magic-chat-${Date.now().toString(36)}`,
        type: 'aigc-magic-chat',
        name: 'aigc-magic chat',
        kernel: { name: await this._kernelName() }
      });
      this._own.statusChanged.connect(() => this._emit());
      this._emit();
    }
    const kernel = this._own.kernel;
    if (!kernel) {
      throw new Error('The chat could not start a kernel; check Kernel → Kernel Sessions.');
    }
    return { kernel, rendermime: this._rendermime, path: null };
  }

  private async _kernelName(): Promise<string> {
    await this._services.kernelspecs.ready;
    const specs = this._services.kernelspecs.specs;
    if (specs && 'python3' in specs.kernelspecs) {
      return 'python3';
    }
    return specs?.default ?? 'python3';
  }

  private _emit(): void {
    this._changed.emit(undefined);
  }

  private _tracker: INotebookTracker;
  private _services: ServiceManager.IManager;
  private _rendermime: IRenderMimeRegistry;
  private _commands: CommandRegistry;
  private _panel: NotebookPanel | null = null;
  private _path: string | null = null;
  private _probe: Probe = { state: 'unknown' };
  private _probing = false;
  private _again = false;
  private _stale = false;
  private _timer = 0;
  private _own: Session.ISessionConnection | null = null;
  private _changed = new Signal<KernelSource, void>(this);
  private _renamed = new Signal<KernelSource, { from: string; to: string }>(this);
}
