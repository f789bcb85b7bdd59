-- Neovim's own LSP client (vim.lsp, 0.7) on `cspverify lsp`, headless: open
-- a spec, type a typo, wait for the diagnostic, fix it, ask for a
-- definition and a hover, then stop the server. Writes what it saw, one
-- `key=value` line each, to $OUT (tests/cli/nvim_lsp.sh checks them).
local results = {}
local function report(key, value) table.insert(results, key .. "=" .. tostring(value)) end
local function finish()
  vim.fn.writefile(results, os.getenv("OUT"))
  vim.cmd("qa!")
end

vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("SPEC")))
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({ name = "cspverify", cmd = { os.getenv("CSPV"), "lsp" },
                                  root_dir = vim.fn.fnamemodify(os.getenv("SPEC"), ":h") })
vim.lsp.buf_attach_client(buf, id)
local attached = vim.wait(15000, function()
  local client = vim.lsp.get_client_by_id(id)
  return client ~= nil and client.initialized == true
end, 50)
report("initialized", attached)
if not attached then return finish() end

local line = vim.api.nvim_buf_get_lines(buf, 3, 4, false)[1]
vim.api.nvim_buf_set_lines(buf, 3, 4, false, { (line:gsub("signed <=", "signde <=")) })
report("diagnosed", vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 50))
local d = vim.diagnostic.get(buf)[1]
if d then report("diagnostic", d.lnum .. ":" .. d.col .. ": " .. d.message:gsub("\n.*", "")) end

vim.api.nvim_buf_set_lines(buf, 3, 4, false, { line })
report("fixed", vim.wait(15000, function() return #vim.diagnostic.get(buf) == 0 end, 50))

local column = line:find("signed <=", 1, true) + 1
local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = 3, character = column } }
for _, response in pairs(vim.lsp.buf_request_sync(buf, "textDocument/definition", params, 10000) or {}) do
  local r = response.result
  if r then report("definition", vim.fn.fnamemodify(vim.uri_to_fname(r.uri), ":t") .. ":" .. r.range.start.line .. ":" .. r.range.start.character) end
end
for _, response in pairs(vim.lsp.buf_request_sync(buf, "textDocument/hover", params, 10000) or {}) do
  if response.result then report("hover", (response.result.contents.value:gsub("\n", " "))) end
end
vim.lsp.stop_client(id)
report("stopped", vim.wait(10000, function() return vim.lsp.get_client_by_id(id) == nil end, 50))
finish()
