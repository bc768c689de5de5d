-- A stock Neovim (0.7+) session with vim.lsp and no plugins: start kbx-lint-lsp, open one file,
-- wait for diagnostics, apply the preferred quick fix of the first diagnostic with a fix, write the
-- file, and ask for inlay hints and the explain command. Results go to $KBX_NVIM_OUT as JSON.
-- Environment: KBX_SERVER (dist/server.js), KBX_FILE (the file to open), KBX_NVIM_OUT.
local server = os.getenv('KBX_SERVER')
local file = os.getenv('KBX_FILE')
local out_path = os.getenv('KBX_NVIM_OUT')
local result = { diagnostics = {}, errors = {} }

local function finish()
  local f = io.open(out_path, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  vim.cmd('filetype on')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local published = false
  local client_id = vim.lsp.start_client({
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, res, ctx, config)
        published = true
        return vim.lsp.handlers['textDocument/publishDiagnostics'](err, res, ctx, config)
      end,
    },
    name = 'kbx-lint',
    cmd = { 'node', server, '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
    -- Neovim 0.7-0.10: settings also go in init_options, which every version sends.
    init_options = { settings = { rules = { KBX205 = 'off' } } },
    settings = { kbxLint = { rules = { KBX205 = 'off' } } },
  })
  vim.lsp.buf_attach_client(bufnr, client_id)
  local client = vim.lsp.get_client_by_id(client_id)

  local got = vim.wait(20000, function()
    return published
  end, 50)
  if not got then
    table.insert(result.errors, 'no diagnostics within 20 s')
    return
  end
  local first_fix
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data or {}).lsp or {}
    local code = d.code or lsp.code
    table.insert(result.diagnostics, { line = d.lnum + 1, column = d.col + 1, code = code })
    if not first_fix and lsp.data and lsp.data.fix and lsp.data.fix.applicability == 'safe' then
      -- Neovim 0.7 keeps code and data in user_data.lsp but not the range: rebuild the diagnostic.
      first_fix = {
        range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
        message = d.message, severity = d.severity, code = code, source = d.source, data = lsp.data,
      }
    end
  end

  if first_fix then
    result.fixed_code = first_fix.code
    result.fixed_line = first_fix.range.start.line + 1
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      range = first_fix.range,
      context = { diagnostics = { first_fix }, only = { 'quickfix' } },
    }
    local resp = client.request_sync('textDocument/codeAction', params, 10000, bufnr)
    for _, action in ipairs((resp and resp.result) or {}) do
      if action.isPreferred and action.edit then
        vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
        result.applied = action.title
        break
      end
    end
    vim.cmd('write')
  end

  local lines = vim.api.nvim_buf_line_count(bufnr)
  local hints = client.request_sync('textDocument/inlayHint', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 0, character = 0 }, ['end'] = { line = lines, character = 0 } },
  }, 10000, bufnr)
  result.inlay_hints = {}
  for _, h in ipairs((hints and hints.result) or {}) do table.insert(result.inlay_hints, h.label) end

  local explain = client.request_sync('workspace/executeCommand', {
    command = 'kbx-lint.explain',
    arguments = { vim.uri_from_bufnr(bufnr) },
  }, 10000, bufnr)
  result.explain = explain and explain.result and explain.result.text or vim.NIL
end)
if not ok then table.insert(result.errors, tostring(err)) end
finish()
