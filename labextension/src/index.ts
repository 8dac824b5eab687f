/**
 * aigc-magic's JupyterLab extension: a left-sidebar chat whose questions run in the active
 * notebook's kernel through the same engine as `%%ask`.
 */

import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { IStateDB } from '@jupyterlab/statedb';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';

import { DOMAIN } from './i18n';
import { KernelSource } from './kernel';
import { ChatPanel } from './panel';

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <path class="jp-icon3" fill="#616161" d="M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3.2 4.2-1.4 1.4L8.2 11l-2.4 2.4 1.4 1.4L11 11zM12 13v2h6v-2z"/>
</svg>`;

export const chatIcon = new LabIcon({ name: 'aigc-magic:chat', svgstr: ICON });

const COMMAND = 'aigc-magic:open-chat';

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'aigc-magic:chat',
  description: 'A sidebar chat that asks the notebook kernel for compute tasks in prose.',
  autoStart: true,
  requires: [INotebookTracker, IRenderMimeRegistry, IStateDB],
  optional: [ILayoutRestorer, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    rendermime: IRenderMimeRegistry,
    state: IStateDB,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load(DOMAIN);
    const kernels = new KernelSource({
      tracker,
      services: app.serviceManager,
      rendermime,
      commands: app.commands
    });
    const panel = new ChatPanel({ kernels, state, trans, rendermime });
    panel.title.icon = chatIcon;
    panel.disposed.connect(() => kernels.dispose());
    app.shell.add(panel, 'left', { rank: 1000 });
    restorer?.add(panel, panel.id);
    app.commands.addCommand(COMMAND, {
      label: trans.__('Open the aigc-magic chat'),
      icon: chatIcon,
      execute: () => app.shell.activateById(panel.id)
    });
  }
};

export default plugin;
