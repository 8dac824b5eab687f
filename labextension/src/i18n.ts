/**
 * The panel's own words go through JupyterLab's ITranslator, domain `aigc_magic`; the
 * Chinese catalogue is aigc_magic/sidebar/locale/zh_CN/LC_MESSAGES/aigc_magic.json, served by
 * JupyterLab's translation API through the package's `jupyterlab.locale` entry point.
 *
 * Every message is a string literal as the first argument of `trans.__`, so that
 * tests/test_sidebar_i18n.py can check the catalogue covers each one.
 */

export const DOMAIN = 'aigc_magic';

/** The part of JupyterLab's TranslationBundle the panel uses (`%1`, `%2` are arguments). */
export interface Trans {
  __(msgid: string, ...args: unknown[]): string;
}

/** English, with `%1`… filled in: for tests and for a Lab without the translator. */
export const ENGLISH: Trans = {
  __(msgid: string, ...args: unknown[]): string {
    return msgid.replace(/%(\d+)/g, (whole, n: string) => {
      const value = args[Number(n) - 1];
      if (value === undefined) {
        return whole;
      }
      return typeof value === 'string' ? value : JSON.stringify(value);
    });
  }
};
