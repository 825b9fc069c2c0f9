// What VS Code gives every webview: its theme's colours as --vscode-* variables on <html>
// (values from the Dark Modern and Light Modern themes) and its default webview stylesheet
// (body padding, scrollbars), so screenshots show the page as it looks inside VS Code.

export type ThemeName = 'dark' | 'light';

const COMMON = {
  'font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  'font-size': '13px',
  'font-weight': 'normal',
};

const DARK = {
  ...COMMON,
  'editor-background': '#1f1f1f',
  'editor-foreground': '#cccccc',
  foreground: '#cccccc',
  descriptionForeground: '#9d9d9d',
  disabledForeground: '#cccccc80',
  errorForeground: '#f85149',
  focusBorder: '#0078d4',
  'widget-border': '#313131',
  'editorWidget-background': '#202020',
  'editorGroup-border': '#ffffff17',
  'panel-border': '#2b2b2b',
  'list-hoverBackground': '#2a2d2e',
  'list-activeSelectionBackground': '#04395e',
  'list-activeSelectionForeground': '#ffffff',
  'list-inactiveSelectionBackground': '#37373d',
  'list-focusOutline': '#0078d4',
  'toolbar-hoverBackground': '#5a5d5e50',
  'badge-background': '#616161',
  'badge-foreground': '#f8f8f8',
  'button-background': '#0078d4',
  'button-foreground': '#ffffff',
  'button-hoverBackground': '#026ec1',
  'button-border': '#ffffff12',
  'button-secondaryBackground': '#313131',
  'button-secondaryForeground': '#cccccc',
  'button-secondaryHoverBackground': '#3c3c3c',
  'input-background': '#313131',
  'input-foreground': '#cccccc',
  'input-border': '#3c3c3c',
  'input-placeholderForeground': '#989898',
  'settings-textInputBackground': '#313131',
  'settings-textInputForeground': '#cccccc',
  'settings-textInputBorder': '#3c3c3c',
  'inputValidation-errorBackground': '#5a1d1d',
  'inputValidation-errorBorder': '#be1100',
  'inputValidation-infoBackground': '#063b49',
  'inputValidation-infoBorder': '#007acc',
  'editorWarning-foreground': '#cca700',
  'gitDecoration-untrackedResourceForeground': '#73c991',
  'gitDecoration-modifiedResourceForeground': '#e2c08d',
  'scrollbarSlider-background': '#79797966',
  'scrollbarSlider-hoverBackground': '#646464b3',
  'scrollbarSlider-activeBackground': '#bfbfbf66',
};

const LIGHT = {
  ...COMMON,
  'editor-background': '#ffffff',
  'editor-foreground': '#3b3b3b',
  foreground: '#3b3b3b',
  descriptionForeground: '#3b3b3b',
  disabledForeground: '#61616180',
  errorForeground: '#f85149',
  focusBorder: '#005fb8',
  'widget-border': '#e5e5e5',
  'editorWidget-background': '#f8f8f8',
  'editorGroup-border': '#e5e5e5',
  'panel-border': '#e5e5e5',
  'list-hoverBackground': '#f2f2f2',
  'list-activeSelectionBackground': '#e8e8e8',
  'list-activeSelectionForeground': '#000000',
  'list-inactiveSelectionBackground': '#e4e6f1',
  'list-focusOutline': '#005fb8',
  'toolbar-hoverBackground': '#b8b8b850',
  'badge-background': '#cccccc',
  'badge-foreground': '#3b3b3b',
  'button-background': '#005fb8',
  'button-foreground': '#ffffff',
  'button-hoverBackground': '#0258a8',
  'button-border': '#0000001a',
  'button-secondaryBackground': '#e5e5e5',
  'button-secondaryForeground': '#3b3b3b',
  'button-secondaryHoverBackground': '#cccccc',
  'input-background': '#ffffff',
  'input-foreground': '#3b3b3b',
  'input-border': '#cecece',
  'input-placeholderForeground': '#767676',
  'settings-textInputBackground': '#ffffff',
  'settings-textInputForeground': '#3b3b3b',
  'settings-textInputBorder': '#cecece',
  'inputValidation-errorBackground': '#f2dede',
  'inputValidation-errorBorder': '#be1100',
  'inputValidation-infoBackground': '#d6ecf2',
  'inputValidation-infoBorder': '#007acc',
  'editorWarning-foreground': '#bf8803',
  'gitDecoration-untrackedResourceForeground': '#007100',
  'gitDecoration-modifiedResourceForeground': '#895503',
  'scrollbarSlider-background': '#64646466',
  'scrollbarSlider-hoverBackground': '#646464b3',
  'scrollbarSlider-activeBackground': '#00000099',
};

/** VS Code's default webview styles (workbench/contrib/webview/browser/pre/index.html, abridged). */
const DEFAULT_STYLES = `
html { scrollbar-color: var(--vscode-scrollbarSlider-background) var(--vscode-editor-background); }
body { background-color: transparent; color: var(--vscode-editor-foreground); font-family: var(--vscode-font-family);
  font-weight: var(--vscode-font-weight); font-size: var(--vscode-font-size); margin: 0; padding: 0 20px; }
img, video { max-width: 100%; max-height: 100%; }
::-webkit-scrollbar { width: 10px; height: 10px; }
::-webkit-scrollbar-corner { background-color: var(--vscode-editor-background); }
::-webkit-scrollbar-thumb { background-color: var(--vscode-scrollbarSlider-background); }
::-webkit-scrollbar-thumb:hover { background-color: var(--vscode-scrollbarSlider-hoverBackground); }
::-webkit-scrollbar-thumb:active { background-color: var(--vscode-scrollbarSlider-activeBackground); }
`;

function sheet(vars: Record<string, string>): string {
  // The webview iframe itself is painted with the editor background.
  const decls = Object.entries(vars).map(([k, v]) => `  --vscode-${k}: ${v};`).join('\n');
  return `html {\n${decls}\n  background: var(--vscode-editor-background);\n}\n${DEFAULT_STYLES}`;
}

export const THEMES: Record<ThemeName, string> = { dark: sheet(DARK), light: sheet(LIGHT) };
