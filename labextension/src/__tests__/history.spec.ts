import { historyOf, recall } from '../history';

describe('prompt history', () => {
  const prompts = ['primes below 100', 'primes below 100', 'sum of squares', 'fold it'];

  it('walks back from the newest prompt, one repeat counted once', () => {
    let history = historyOf(prompts);
    expect(history.entries).toEqual(['primes below 100', 'sum of squares', 'fold it']);
    const texts: string[] = [];
    for (;;) {
      const step = recall(history, 'previous', 'my draft');
      if (step === null) {
        break;
      }
      history = step.history;
      texts.push(step.text);
    }
    expect(texts).toEqual(['fold it', 'sum of squares', 'primes below 100']);
  });

  it('walks forward again and gives the draft back at the end', () => {
    let history = historyOf(prompts);
    let step = recall(history, 'previous', 'half typed');
    step = recall(step!.history, 'previous', step!.text);
    expect(step!.text).toBe('sum of squares');
    step = recall(step!.history, 'next', step!.text);
    expect(step!.text).toBe('fold it');
    step = recall(step!.history, 'next', step!.text);
    expect(step!.text).toBe('half typed');
    history = step!.history;
    expect(history.index).toBeNull();
    expect(recall(history, 'next', 'half typed')).toBeNull();
  });

  it('does nothing without earlier prompts', () => {
    expect(recall(historyOf([]), 'previous', '')).toBeNull();
    expect(recall(historyOf(['', '']), 'previous', '')).toBeNull();
  });
});
