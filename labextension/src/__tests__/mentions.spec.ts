import { cellContext, MAX_OUTPUT, parseMentions, stripAnsi } from '../mentions';

describe('parseMentions', () => {
  it('finds @cell anywhere and takes it out of the prose', () => {
    expect(parseMentions('@cell fix this')).toEqual({ prose: 'fix this', cell: true });
    expect(parseMentions('explain @cell please')).toEqual({ prose: 'explain please', cell: true });
    expect(parseMentions('修复 @cell')).toEqual({ prose: '修复', cell: true });
    expect(parseMentions('@Cell why?')).toEqual({ prose: 'why?', cell: true });
  });

  it('leaves e-mail addresses, decorators and plain prose alone', () => {
    expect(parseMentions('mail me@cell.org')).toEqual({ prose: 'mail me@cell.org', cell: false });
    expect(parseMentions('use @cellular automata')).toEqual({
      prose: 'use @cellular automata',
      cell: false
    });
    expect(parseMentions('primes below 100')).toEqual({ prose: 'primes below 100', cell: false });
  });
});

describe('cellContext', () => {
  it('attaches the code and the error, without colour codes', () => {
    const context = cellContext('1/0', [
      { output_type: 'stream', name: 'stdout', text: ['before\n'] },
      {
        output_type: 'error',
        ename: 'ZeroDivisionError',
        evalue: 'division by zero',
        traceback: ['\u001b[0;31mZeroDivisionError\u001b[0m Traceback', '----> 1 1/0']
      }
    ]);
    expect(context.code).toBe('1/0');
    expect(context.error).toEqual({
      ename: 'ZeroDivisionError',
      evalue: 'division by zero',
      traceback: 'ZeroDivisionError Traceback\n----> 1 1/0'
    });
    expect(context.output).toBe('before\n');
  });

  it('keeps the text of results and cuts long output', () => {
    const context = cellContext('x', [
      {
        output_type: 'execute_result',
        execution_count: 1,
        metadata: {},
        data: { 'text/plain': 'x'.repeat(MAX_OUTPUT + 10) }
      }
    ]);
    expect(context.error).toBeNull();
    expect(context.output.length).toBe(MAX_OUTPUT + 1);
  });

  it('strips ANSI codes', () => {
    expect(stripAnsi('\u001b[1;32mok\u001b[0m')).toBe('ok');
  });
});
