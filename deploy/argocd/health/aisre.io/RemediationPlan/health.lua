-- Argo CD health of an aisre.io RemediationPlan (docs/gitops.md has the phase table).
-- Lua 5.1 as Argo CD runs it (gopher-lua): the global obj is the object, the script returns {status, message}.
local hs = {}

-- The message of a condition of this type, or nil.
local function conditionMessage(conditionType)
  if obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == conditionType and c.message ~= nil and c.message ~= "" then
      return c.message
    end
  end
  return nil
end

if obj.status == nil or obj.status.phase == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the aisre operator to check the plan against policy"
  return hs
end

-- A status written for an older spec says nothing about the current one.
local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and observed ~= nil and observed < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the aisre operator to observe generation " .. generation .. " (status is of generation " .. observed .. ")"
  return hs
end

local phase = obj.status.phase
local detail = conditionMessage("Ready") or obj.status.message
local name = obj.metadata.name or "PLAN"
local namespace = obj.metadata.namespace or "default"

-- Rejected is final (a person or the policy said no): the change Git declares will not happen.
local health = {
  Pending = { "Progressing", "Checking the plan against policy" },
  AwaitingApproval = { "Suspended", "Waiting for a user allowed the verb approve: kubectl aisre approve " .. name .. " -n " .. namespace },
  Approved = { "Progressing", "Approved; starting" },
  Running = { "Progressing", "Running" },
  Succeeded = { "Healthy", "Every step succeeded and was verified" },
  Failed = { "Degraded", "A step failed" },
  RolledBack = { "Degraded", "A step failed; the completed steps were undone" },
  Rejected = { "Degraded", "Rejected" },
}

local entry = health[phase]
if entry == nil then
  hs.status = "Unknown"
  hs.message = "Unknown phase " .. tostring(phase)
  return hs
end

hs.status = entry[1]
hs.message = phase .. ": " .. (detail or entry[2])
if obj.status.progress ~= nil and (phase == "Running" or phase == "Failed" or phase == "RolledBack") then
  hs.message = hs.message .. " (steps " .. obj.status.progress .. ")"
end
return hs
