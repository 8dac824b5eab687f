/**
 * Where the chat's questions go: the active notebook's kernel, so prose can name the
 * notebook's variables, or — with no notebook open — a kernel the chat starts for itself.
 * Also the two things a code block offers: insert it as a cell below, run it in the notebook.
 */

import { ISessionContext } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookActions, NotebookPanel } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { Kernel, ServiceManager, Session } from '@jupyterlab/services';
import { CommandRegistry } from '@lumino/commands';
import { ISignal, Signal } from '@lumino/signaling';

/** A kernel to ask, and the rendermime that renders its outputs (widgets included). */
export interface ChatTarget {
  kernel: Kernel.IKernelConnection;
  rendermime: IRenderMimeRegistry;
  label: string;
}

export interface KernelSourceOptions {
  tracker: INotebookTracker;
  services: ServiceManager.IManager;
  rendermime: IRenderMimeRegistry;
  commands: CommandRegistry;
}

export class KernelSource {
  constructor(options: KernelSourceOptions) {
    this._tracker = options.tracker;
    this._services = options.services;
    this._rendermime = options.rendermime;
    this._commands = options.commands;
    this._tracker.currentChanged.connect(this._emitChanged, this);
  }

  /** Emitted when the kernel that the next question goes to may have changed. */
  get changed(): ISignal<KernelSource, void> {
    return this._changed;
  }

  /** One line for the panel's header: which kernel the next question goes to. */
  describe(): string {
    const panel = this._tracker.currentWidget;
    if (panel !== null) {
      const kernel = panel.sessionContext.kernelDisplayName;
      return `${panel.context.localPath} · ${kernel}`;
    }
    if (this._own !== null) {
      return `own kernel · ${this._own.kernel?.name ?? 'starting'}`;
    }
    return 'no notebook open: the chat will start its own kernel';
  }

  /** The kernel for the next question (waits for the notebook's kernel to be ready). */
  async target(): Promise<ChatTarget> {
    const panel = this._tracker.currentWidget;
    if (panel !== null) {
      await panel.sessionContext.ready;
      const kernel = panel.sessionContext.session?.kernel;
      if (kernel) {
        // the notebook's rendermime has the widget renderer of this notebook's kernel
        return {
          kernel,
          rendermime: panel.content.rendermime,
          label: panel.context.localPath
        };
      }
    }
    return this._ownTarget();
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
    this._tracker.currentChanged.disconnect(this._emitChanged, this);
    const own = this._own;
    this._own = null;
    if (own !== null) {
      void own.shutdown().catch(() => own.dispose());
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
      this._emitChanged();
    }
    const kernel = this._own.kernel;
    if (!kernel) {
      throw new Error('The chat could not start a kernel; check Kernel → Kernel Sessions.');
    }
    return { kernel, rendermime: this._rendermime, label: 'own kernel' };
  }

  private async _kernelName(): Promise<string> {
    await this._services.kernelspecs.ready;
    const specs = this._services.kernelspecs.specs;
    if (specs && 'python3' in specs.kernelspecs) {
      return 'python3';
    }
    return specs?.default ?? 'python3';
  }

  private _emitChanged(): void {
    this._changed.emit(undefined);
  }

  private _tracker: INotebookTracker;
  private _services: ServiceManager.IManager;
  private _rendermime: IRenderMimeRegistry;
  private _commands: CommandRegistry;
  private _own: Session.ISessionConnection | null = null;
  private _changed = new Signal<KernelSource, void>(this);
}
