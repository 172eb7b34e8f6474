// One linter. Layers of architecture.md are enforced here, so the drawing and the code agree.
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const HTML_SINKS = ['innerHTML', 'outerHTML', 'insertAdjacentHTML'].map((property) => ({
  property,
  message: 'Page text is rendered as text, never as HTML.',
}));

export default tseslint.config(
  { ignores: ['.output/**', '.wxt/**', 'node_modules/**', 'bench/results/**', 'coverage/**', '.tmp/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-properties': [
        'error',
        ...HTML_SINKS,
        { object: 'document', property: 'write', message: 'No document.write.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Page text is rendered as text, never as HTML.',
        },
        {
          selector: 'AssignmentExpression > MemberExpression[property.name=/^(innerHTML|outerHTML)$/]',
          message: 'Page text is rendered as text, never as HTML.',
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './lib/engine',
              from: ['./lib/page', './lib/knowledge', './lib/messaging', './lib/panel', './entrypoints', './scripts'],
              message: 'lib/engine is pure: it imports nothing from the other layers.',
            },
            { target: './lib/engine', from: './node_modules', message: 'lib/engine has no dependencies.' },
            {
              target: './lib/page',
              from: ['./lib/knowledge', './lib/panel', './entrypoints', './scripts'],
              message:
                'The page layer sees only the engine and messaging (no fuse.js or entry texts in the content script).',
            },
            {
              target: './lib/knowledge',
              from: ['./lib/page', './lib/messaging', './lib/panel', './entrypoints'],
              message: 'lib/knowledge sits below the UI.',
            },
            {
              target: './lib/messaging',
              from: ['./lib/page', './lib/knowledge', './lib/panel', './entrypoints'],
              message: 'lib/messaging sees only the engine types.',
            },
            {
              target: './lib/panel',
              from: ['./lib/page', './entrypoints'],
              message: 'The panel talks to the page only through messages.',
            },
            {
              target: './lib',
              from: ['./entrypoints', './scripts'],
              message: 'Imports point downward: entrypoints wire lib/, never the reverse.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['entrypoints/content/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // The lexicon arrives from the background as data; fuse.js and entry texts stay in the panel.
          paths: ['fuse.js', 'virtual:chartlight/panel-data', 'virtual:chartlight/lexicon'],
          patterns: [
            '**/lib/knowledge/*',
            '**/lib/panel/*',
            '**/lib/settings/index*',
            '**/lib/settings/packs*',
            '**/lib/settings/policy*',
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
