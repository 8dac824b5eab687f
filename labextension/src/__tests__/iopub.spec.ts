import { classifyIOPub, WIDGET_MIMETYPE, worthRendering } from '../iopub';
import { CHAT_MIMETYPE } from '../protocol';

function msg(msg_type: string, content: unknown) {
  return { header: { msg_type }, content };
}

describe('classifyIOPub', () => {
  it('turns a chat display_data into a typed reply', () => {
    const reply = { kind: 'token', id: 'q', text: 'hi' };
    expect(classifyIOPub(msg('display_data', { data: { [CHAT_MIMETYPE]: reply } }))).toEqual({
      type: 'reply',
      reply
    });
  });

  it('drops a chat payload it does not understand instead of rendering it', () => {
    const event = classifyIOPub(
      msg('display_data', { data: { [CHAT_MIMETYPE]: { kind: 'future', id: 'q' } } })
    );
    expect(event).toEqual({ type: 'ignore' });
  });

  it('passes other displays on as outputs with their display id', () => {
    const data = { [WIDGET_MIMETYPE]: { model_id: 'm1' }, 'text/plain': 'FloatProgress()' };
    const event = classifyIOPub(
      msg('display_data', { data, metadata: {}, transient: { display_id: 'd1' } })
    );
    expect(event).toEqual({
      type: 'output',
      output: { output_type: 'display_data', data, metadata: {} },
      displayId: 'd1'
    });
  });

  it('maps updates, streams, clears and errors', () => {
    expect(
      classifyIOPub(
        msg('update_display_data', { data: { 'text/plain': '2' }, transient: { display_id: 'd' } })
      )
    ).toMatchObject({ type: 'update', displayId: 'd' });
    expect(classifyIOPub(msg('update_display_data', { data: {} }))).toEqual({ type: 'ignore' });
    expect(classifyIOPub(msg('stream', { name: 'stderr', text: 'warn\n' }))).toEqual({
      type: 'output',
      output: { output_type: 'stream', name: 'stderr', text: 'warn\n' },
      displayId: null
    });
    expect(classifyIOPub(msg('clear_output', { wait: true }))).toEqual({
      type: 'clear',
      wait: true
    });
    expect(
      classifyIOPub(
        msg('error', {
          ename: 'ModuleNotFoundError',
          evalue: "No module named 'aigc_magic'",
          traceback: []
        })
      )
    ).toEqual({
      type: 'kernel-error',
      ename: 'ModuleNotFoundError',
      evalue: "No module named 'aigc_magic'"
    });
    expect(classifyIOPub(msg('status', { execution_state: 'busy' }))).toEqual({ type: 'ignore' });
    expect(classifyIOPub(msg('execute_input', { code: 'x' }))).toEqual({ type: 'ignore' });
  });
});

describe('worthRendering', () => {
  const widget = {
    output_type: 'display_data',
    data: { [WIDGET_MIMETYPE]: { model_id: 'm' }, 'text/plain': 'FloatProgress(value=0.0)' },
    metadata: {}
  };

  it('renders a widget where a widget manager renders it', () => {
    expect(worthRendering(widget, WIDGET_MIMETYPE)).toBe(true);
  });

  it('hides a widget whose only stand-in would be its repr', () => {
    expect(worthRendering(widget, 'text/plain')).toBe(false);
  });

  it('always renders streams, and displays that have a renderer', () => {
    expect(worthRendering({ output_type: 'stream', name: 'stdout', text: 'x' }, undefined)).toBe(
      true
    );
    const html = { output_type: 'display_data', data: { 'text/html': '<b>x</b>' }, metadata: {} };
    expect(worthRendering(html, 'text/html')).toBe(true);
    expect(worthRendering(html, undefined)).toBe(false);
  });
});
